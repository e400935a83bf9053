#!/usr/bin/env node
// How core's costs scale, each as a ratio of two costs measured in the same run:
// - handle()'s per-delivery cost after 1,000,000 distinct deliveries against after 1,000, on
//   the memory store with its default bounds (10,000 keys), with the heap at both points;
// - verifyWebhook's cost per KB at 256 KB against at 1 KB.
// Paired rounds in alternating order, CPU time, medians of the per-round ratios.
import { createHmac } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createMemoryStore, createWebhookHandler, silentLogger, verifyWebhook } from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { benchConfig } from './support/config.mjs';
import { eventText, spreadIqr, timePerOp, timePerOpAsync } from './support/cpu-time.mjs';
import { median } from './support/report.mjs';

const config = benchConfig();
const ROUNDS = config.rounds(15);
const round3 = (n) => Math.round(n * 1000) / 1000;
const EARLY = config.quick ? 1_000 : 1_000;
const LATE = config.quick ? 20_000 : 1_000_000;
const BATCH = config.requests(1_000);
const CHUNK = 10_000;

/**
 * Deliveries `msg_<prefix>_<from…from+count>`, signed here with one HMAC each (the receiver
 * verifies every one): signWebhook's JSON and header work would cost more than handle().
 */
function deliveries(secret, prefix, from, count) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const timestamp = String(Math.floor(Date.now() / 1000));
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const id = `msg_${prefix}_${i}`;
    const body = Buffer.from(
      `{"kind":"session:processed","session_id":"sess_${prefix}_${i}","amount":5000,"status":"success"}`,
    );
    const signature = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
    const headers = {
      'webhook-id': id,
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    };
    return { body, headers };
  });
}

/** A receiver on the memory store with its default bounds, and a way to feed it. */
function receiver(secret) {
  const store = createMemoryStore();
  const webhooks = createWebhookHandler({
    secret,
    logger: silentLogger,
    store,
    on: { 'session:processed': () => {} },
  });
  let fed = 0;
  const prefix = `r${Math.random().toString(36).slice(2, 8)}`;
  /** Handles `count` new distinct deliveries; returns CPU ns per delivery. */
  const feed = async (count) => {
    let ns = 0;
    for (let done = 0; done < count; done += CHUNK) {
      const batch = deliveries(secret, prefix, fed, Math.min(CHUNK, count - done));
      fed += batch.length;
      ns += (await timePerOpAsync((i) => webhooks.handle(batch[i]), batch.length)) * batch.length;
    }
    return ns / count;
  };
  return { feed, store };
}

const heapMb = () => {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

async function handleAfter() {
  const secret = generateWebhookSecret();
  const late = receiver(secret);
  await late.feed(EARLY);
  const heapEarly = heapMb();
  await late.feed(LATE - EARLY);
  const heapLate = heapMb();
  const samples = { early: [], late: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // A fresh receiver brought to EARLY deliveries, against the long-fed one, in turn first.
    const early = receiver(secret);
    await early.feed(EARLY);
    const order = r % 2 === 0 ? ['early', 'late'] : ['late', 'early'];
    for (const side of order) samples[side].push(await (side === 'early' ? early : late).feed(BATCH));
  }
  const ratios = samples.late.map((ns, i) => ns / samples.early[i]);
  const ratio = median(ratios);
  const { size } = late.store;
  return [
    {
      name: `handle(): per-delivery cost after ${LATE.toLocaleString('en')} distinct deliveries`,
      unit: 'ns/op',
      ours: median(samples.late),
      baseline: median(samples.early),
      baselineName: `the same after ${EARLY.toLocaleString('en')} (a fresh receiver)`,
      ratio: round3(ratio),
      goal: '≤ 1.10',
      ok: ratio <= 1.1,
      spread: spreadIqr(ratios),
      rounds: ROUNDS,
      extra: { heapEarlyMb: round3(heapEarly), heapLateMb: round3(heapLate), storeSize: size },
      note:
        `memory store with its default bounds (10,000 keys; ${size.toLocaleString('en')} held at the end); ` +
        `batches of ${BATCH.toLocaleString('en')}; heap after gc ${heapEarly.toFixed(1)} MB after ${EARLY.toLocaleString('en')}, ` +
        `${heapLate.toFixed(1)} MB after ${LATE.toLocaleString('en')}`,
    },
    {
      name: `handle(): heap after ${LATE.toLocaleString('en')} distinct deliveries`,
      unit: 'MB',
      ours: heapLate,
      baseline: heapEarly,
      baselineName: `after ${EARLY.toLocaleString('en')}`,
      ratio: round3(heapLate / heapEarly),
      goal: 'bounded: the store holds ≤ 10,000 keys (measured)',
      ok: size <= 10_000,
      note: 'heapUsed after a full gc, the whole bench process (its deliveries are made and dropped in chunks)',
    },
  ];
}

/** verifyWebhook's CPU ns per KB at 256 KB against at 1 KB, paired rounds. */
function verifyPerKb() {
  const secret = generateWebhookSecret();
  const sizes = { small: 1024, large: 256 * 1024 };
  const fns = {};
  for (const [name, size] of Object.entries(sizes)) {
    const text = eventText(size);
    const { headers } = signWebhook(text, { secret });
    const body = Buffer.from(text);
    fns[name] = () => verifyWebhook({ body, headers, secret });
    fns[name]();
  }
  const iterations = { small: config.requests(4_000), large: config.requests(40) };
  for (const name of Object.keys(fns)) timePerOp(fns[name], iterations[name] * 2); // warm-up
  const perKb = { small: [], large: [] };
  for (let r = 0; r < config.rounds(31); r++) {
    const order = r % 2 === 0 ? ['small', 'large'] : ['large', 'small'];
    for (const name of order) perKb[name].push(timePerOp(fns[name], iterations[name]) / (sizes[name] / 1024));
  }
  const ratios = perKb.large.map((ns, i) => ns / perKb.small[i]);
  const ratio = median(ratios);
  return {
    name: 'verify + parse + validate: cost per KB at 256 KB',
    unit: 'ns/KB',
    ours: median(perKb.large),
    baseline: median(perKb.small),
    baselineName: 'the same at 1 KB',
    ratio: round3(ratio),
    goal: '≤ 1.10 (flat)',
    ok: ratio <= 1.1,
    spread: spreadIqr(ratios),
    rounds: ratios.length,
    note: 'verifyWebhook on a Buffer, one valid event padded with ASCII; the 1 KB cost includes the per-call work',
  };
}

export async function run() {
  return [...(await handleAfter()), verifyPerKb()];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table(await run());
