#!/usr/bin/env node
// What a forged delivery costs a receiver in confirm mode (confirm-by-fetch, CONTRACT §1b):
// 2,000 forgeries, each naming a session id of its own (no cache helps), 100 at once, over
// real HTTP, to a receiver whose Pasis is rate limited (10/s, burst 20, 429 + Retry-After).
// Measured: the retrieves they cost Pasis, and how long each forged request waits for its
// answer, beside the same flood refused by signature (a receiver with a secret, 401) as the
// baseline; then how long a genuine delivery sent after the flood takes to be handled when
// its sender retries as Pasis does. Measured only: no goal but the retrieve bound.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { createPasisClient, createWebhookHandler, silentLogger } from '@pasis/core';
import { serveWebhook } from '@pasis/core/node';
import { generateWebhookSecret, signWebhook, startSessionServer } from '@pasis/core/testing';
import { benchConfig } from './support/config.mjs';
import { median } from './support/load.mjs';

const config = benchConfig();
const FORGERIES = config.requests(2_000);
const AT_ONCE = 100;
const LIMIT = { burst: 20, perSecond: 10 };
const MAX_IN_FLIGHT = 8; // the default confirmMaxInFlight
const ROUNDS = config.rounds(3);

const event = (sessionId) => ({
  kind: 'session:processed',
  session_id: sessionId,
  amount: 5000,
  status: 'success',
});
const quantile = (values, q) => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];

async function listen(webhooks) {
  const server = createServer((req, res) => void serveWebhook(webhooks, req, res));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${server.address().port}/webhook` };
}

/** Sends `count` deliveries built by `make(i)`, `AT_ONCE` at a time; the latency of each. */
async function flood(url, make) {
  const latencies = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: AT_ONCE }, async () => {
      while (next < FORGERIES) {
        const { body, headers } = make(next++);
        const sent = performance.now();
        const res = await fetch(url, { method: 'POST', body, headers });
        await res.arrayBuffer();
        latencies.push(performance.now() - sent);
        if (res.status === 200) throw new Error('a forgery was accepted');
      }
    }),
  );
  return { latencies, seconds: (performance.now() - started) / 1000 };
}

async function confirmRound(round) {
  const pasis = await startSessionServer('app_flood', { rateLimit: LIMIT });
  const genuine = `sess_genuine_${round}`;
  pasis.set(genuine, 'success', 5000);
  const handled = [];
  const client = createPasisClient({ appId: pasis.appId, baseUrl: pasis.baseUrl, logger: silentLogger });
  const webhooks = createWebhookHandler({
    confirm: { client },
    logger: silentLogger,
    on: { 'session:processed': (e) => void handled.push(e.session_id) },
  });
  const { server, url } = await listen(webhooks);
  const unsigned = (id) => ({
    body: JSON.stringify(event(id)),
    headers: { 'content-type': 'application/json' },
  });
  const result = await flood(url, (i) => unsigned(`sess_forged_${round}_${i}`));
  const retrieves = pasis.requested.length;
  // The genuine delivery, retried after each 503's Retry-After, as Pasis would.
  const sent = performance.now();
  let attempts = 0;
  for (;;) {
    attempts++;
    const res = await fetch(url, { method: 'POST', ...unsigned(genuine) });
    await res.arrayBuffer();
    if (res.status !== 503 || performance.now() - sent > 30_000) break;
    await new Promise((resolve) => setTimeout(resolve, Number(res.headers.get('retry-after')) * 1000));
  }
  const genuineMs = performance.now() - sent;
  if (!handled.includes(genuine)) throw new Error('the genuine delivery was not handled');
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await pasis.close();
  return { ...result, retrieves, genuineMs, attempts };
}

async function signedRound(round) {
  const webhooks = createWebhookHandler({ secret: generateWebhookSecret(), logger: silentLogger });
  const { server, url } = await listen(webhooks);
  const wrong = generateWebhookSecret();
  const result = await flood(url, (i) => signWebhook(event(`sess_forged_${round}_${i}`), { secret: wrong }));
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return result;
}

export async function run() {
  const confirm = [];
  const signed = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternated, so that a slow minute of the shared machine lands on both.
    if (round % 2 === 0) {
      confirm.push(await confirmRound(round));
      signed.push(await signedRound(round));
    } else {
      signed.push(await signedRound(round));
      confirm.push(await confirmRound(round));
    }
  }
  const bound = (seconds) =>
    LIMIT.burst + Math.ceil(LIMIT.perSecond * seconds) + MAX_IN_FLIGHT * (Math.ceil(seconds) + 1);
  const retrieves = median(confirm.map((r) => r.retrieves));
  const ok = confirm.every((r) => r.retrieves <= bound(r.seconds));
  const ms = (rounds, q) => median(rounds.map((r) => quantile(r.latencies, q)));
  const p50 = { confirm: ms(confirm, 0.5), signed: ms(signed, 0.5) };
  return [
    {
      name: `confirm-by-fetch: ${FORGERIES.toLocaleString('en')} forgeries, ${AT_ONCE} at once, Pasis limited to ${LIMIT.perSecond}/s (burst ${LIMIT.burst}): retrieves`,
      unit: 'retrieves',
      ours: retrieves,
      baseline: FORGERIES,
      baselineName: 'forged deliveries',
      ratio: Math.round((retrieves / FORGERIES) * 1000) / 1000,
      goal: "≤ Pasis's limit over the flood + 8 per 1-s pause",
      ok,
      rounds: ROUNDS,
      note: `flood ${median(confirm.map((r) => r.seconds)).toFixed(1)} s; retrieves per round ${confirm.map((r) => r.retrieves).join(', ')} (bounds ${confirm.map((r) => bound(r.seconds)).join(', ')}); a genuine delivery sent after it handled in ${Math.round(median(confirm.map((r) => r.genuineMs)))} ms (${confirm.map((r) => r.attempts).join(', ')} attempts)`,
    },
    {
      name: 'a forged delivery under that flood, confirm-by-fetch: time to its answer (median)',
      unit: 'ms',
      ours: p50.confirm,
      baseline: p50.signed,
      baselineName: 'the same flood refused by signature (401)',
      ratio: Math.round((p50.confirm / p50.signed) * 1000) / 1000,
      goal: 'none (measured)',
      ok: true,
      rounds: ROUNDS,
      note: `p99 ${ms(confirm, 0.99).toFixed(1)} ms vs ${ms(signed, 0.99).toFixed(1)} ms; max ${ms(confirm, 1).toFixed(1)} ms vs ${ms(signed, 1).toFixed(1)} ms; flood ${median(confirm.map((r) => r.seconds)).toFixed(2)} s vs ${median(signed.map((r) => r.seconds)).toFixed(2)} s`,
    },
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await run());
}
