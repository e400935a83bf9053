#!/usr/bin/env node
// Verify + parse + validate of one delivery, as ns/op, against the physical limit measured in
// the same run (createHmac + timingSafeEqual + JSON.parse on the same bytes), beside Stripe's
// constructEvent (on a Buffer and on a string, both ways users call it) and svix's
// Webhook.verify. Interleaved rounds, medians, bounded time.
// Then the whole receiver, `handle()` (verify, dedupe in the memory store, a handler), on the
// same limit: the path every adapter runs, and the one the telemetry hooks sit on.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createWebhookHandler, silentLogger, verifyWebhook } from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import Stripe from 'stripe';
import { Webhook } from 'svix';
import { benchConfig } from './support/config.mjs';
import { eventText, spreadIqr, timePerOp, timePerOpAsync } from './support/cpu-time.mjs';
import { signedDeliveries } from './support/deliveries.mjs';
import { median } from './support/load.mjs';

const config = benchConfig();
// Many short rounds, each a pair measured back to back: a ratio per round cancels the drift
// of a shared machine, which a ratio of two medians taken seconds apart does not.
const ROUNDS = config.rounds(31);
const DEADLINE_MS = 30_000;
// Issue 18: ours within 1.20× the limit at 250 B and 1.10× at 16 KB, and at least 1.3× as
// fast as Stripe's constructEvent on the same payload.
const LIMIT_GOAL = { 250: 1.2, [16 * 1024]: 1.1 };
const STRIPE_SPEEDUP = 1.3;

function scenario(size) {
  const secret = generateWebhookSecret();
  const text = eventText(size);
  const body = Buffer.from(text);
  const { headers } = signWebhook(text, { secret });
  const key = Buffer.from(secret.slice(6), 'base64');
  const { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig } = headers;

  const limit = () => {
    const expected = createHmac('sha256', key).update(`${id}.${ts}.`).update(body).digest();
    if (!timingSafeEqual(expected, Buffer.from(sig.slice(3), 'base64'))) throw new Error('bad');
    return JSON.parse(body.toString('utf8'));
  };
  const ours = () => verifyWebhook({ body, headers, secret });

  const stripe = new Stripe('sk_test_bench');
  const stripeSecret = 'whsec_stripe_bench';
  const stripeHeader = stripe.webhooks.generateTestHeaderString({ payload: text, secret: stripeSecret });
  // Both ways users call it: the Buffer express.raw() gives, and the string a text body is.
  const stripeBuffer = () => stripe.webhooks.constructEvent(body, stripeHeader, stripeSecret);
  const stripeString = () => stripe.webhooks.constructEvent(text, stripeHeader, stripeSecret);

  const svix = new Webhook(secret);
  const svixVerify = () => svix.verify(body, headers);

  for (const fn of [limit, ours, stripeBuffer, stripeString, svixVerify]) fn(); // each must verify
  return { limit, ours, stripeBuffer, stripeString, svix: svixVerify };
}

/**
 * Per-round times of every function and per-round ratios of each to `ours`. A run whose
 * ratios to the limit still disagree by more than NOISY after ROUNDS gets up to MORE_ROUNDS
 * more (its median then stands on more pairs), within the time bound.
 */
function measureRounds(fns, iterations) {
  const names = Object.keys(fns);
  for (const name of names) timePerOp(fns[name], iterations * 2); // warm-up, past the JIT tiers
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const ratioTo = (name) => samples.ours.map((ns, i) => ns / samples[name][i]);
  const started = Date.now();
  const inTime = () => Date.now() - started < DEADLINE_MS / 3;
  const round = (r) => {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    for (const name of order) samples[name].push(timePerOp(fns[name], iterations));
  };
  let r = 0;
  while (r < ROUNDS && inTime()) round(r++);
  while (!config.quick && spreadIqr(ratioTo('limit')) > NOISY && r < ROUNDS + MORE_ROUNDS && inTime())
    round(r++);
  return { samples, ratioTo, rounds: r };
}

const NOISY = 0.1;
const MORE_ROUNDS = 30;

const round3 = (n) => Math.round(n * 1000) / 1000;

// Stripe's constructEvent, both ways users call it.
const STRIPE_WAYS = { stripeBuffer: 'a Buffer', stripeString: 'a string' };

function measure(size, label) {
  const fns = scenario(size);
  const { samples, ratioTo, rounds } = measureRounds(fns, size > 1024 ? 300 : 2_000);
  const ns = Object.fromEntries(Object.keys(samples).map((n) => [n, median(samples[n])]));
  const vsLimit = ratioTo('limit');
  const goal = LIMIT_GOAL[size];
  const stripeText = `stripe ${Math.round(ns.stripeBuffer)} ns/op on a Buffer, ${Math.round(ns.stripeString)} ns/op on a string`;
  const note = `median of ${rounds} paired rounds (CPU time; spread: interquartile range / median); ${stripeText}, svix ${Math.round(ns.svix)} ns/op`;
  return [
    {
      name: `verify + parse + validate, ${label} event`,
      unit: 'ns/op',
      ours: ns.ours,
      baseline: ns.limit,
      baselineName: 'createHmac + timingSafeEqual + JSON.parse',
      ratio: round3(median(vsLimit)),
      goal: `≤ ${goal.toFixed(2)}`,
      ok: median(vsLimit) <= goal,
      spread: spreadIqr(vsLimit),
      rounds,
      extra: {
        stripeBuffer: Math.round(ns.stripeBuffer),
        stripeString: Math.round(ns.stripeString),
        svix: Math.round(ns.svix),
      },
      note,
    },
    ...Object.entries(STRIPE_WAYS).map(([way, given]) => {
      // Stripe's time over ours: how many times as fast ours is.
      const speedup = ratioTo(way).map((r) => 1 / r);
      return {
        name: `verify + parse + validate, ${label} event: times as fast as Stripe on ${given}`,
        unit: 'ns/op',
        ours: ns.ours,
        baseline: ns[way],
        baselineName: `stripe.webhooks.constructEvent(${given === 'a Buffer' ? 'Buffer' : 'string'})`,
        ratio: round3(median(speedup)),
        goal: `≥ ${STRIPE_SPEEDUP.toFixed(2)}× as fast`,
        ok: median(speedup) >= STRIPE_SPEEDUP,
        spread: spreadIqr(speedup),
        rounds,
        note,
      };
    }),
  ];
}

const HANDLE_OPS = 5_000;
const HANDLE_GOAL = 2.5;

/**
 * `handle()` of distinct signed 250-byte-class deliveries, against the same limit as above.
 * Each round builds a fresh receiver (a fresh memory store), so every delivery is new to it
 * and really runs the handler; receiver construction is outside the timed loop.
 */
async function measureHandle() {
  const secret = generateWebhookSecret();
  const deliveries = signedDeliveries(secret, 'bench', HANDLE_OPS).map(({ body, headers }) => ({
    body: Buffer.from(body),
    headers,
  }));
  // The limit on the same bytes as the first delivery: one HMAC, one compare, one parse.
  const first = deliveries[0];
  const key = Buffer.from(secret.slice(6), 'base64');
  const { 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': sig } = first.headers;
  const limit = () => {
    const expected = createHmac('sha256', key).update(`${id}.${ts}.`).update(first.body).digest();
    if (!timingSafeEqual(expected, Buffer.from(sig.slice(3), 'base64'))) throw new Error('bad');
    return JSON.parse(first.body.toString('utf8'));
  };
  const receiver = () => {
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      on: { 'session:processed': () => {} },
    });
    return (i) => webhooks.handle(deliveries[i]);
  };
  for (let w = 0; w < 2; w++) await timePerOpAsync(receiver(), HANDLE_OPS); // warm-up
  const samples = { ours: [], limit: [] };
  const started = Date.now();
  for (let r = 0; r < ROUNDS && Date.now() - started < DEADLINE_MS / 3; r++) {
    const ours = receiver();
    const order = r % 2 === 0 ? ['ours', 'limit'] : ['limit', 'ours'];
    for (const name of order) {
      samples[name].push(
        name === 'ours' ? await timePerOpAsync(ours, HANDLE_OPS) : timePerOp(limit, HANDLE_OPS),
      );
    }
  }
  const ns = { ours: median(samples.ours), limit: median(samples.limit) };
  const ratios = samples.ours.map((t, i) => t / samples.limit[i]);
  const ratio = median(ratios);
  return {
    name: 'handle(): verify + dedupe (memory store) + handler, signed 92-byte event',
    unit: 'ns/op',
    ours: ns.ours,
    baseline: ns.limit,
    baselineName: 'createHmac + timingSafeEqual + JSON.parse',
    ratio: Math.round(ratio * 1000) / 1000,
    goal: `≤ ${HANDLE_GOAL}`,
    ok: ratio <= HANDLE_GOAL,
    spread: spreadIqr(ratios),
    rounds: ratios.length,
  };
}

/** Both sizes, each against the limit and against Stripe; then the receiver's whole path. */
export async function run() {
  return [...measure(250, '250-byte'), ...measure(16 * 1024, '16 KB'), await measureHandle()];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await run());
}
