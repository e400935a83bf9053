#!/usr/bin/env node
// Verify + parse + validate of one delivery, as ns/op, against the physical limit measured in
// the same run (createHmac + timingSafeEqual + JSON.parse on the same bytes), beside Stripe's
// constructEvent and svix's Webhook.verify. Interleaved rounds, medians, bounded time.
// Then the whole receiver, `handle()` (verify, dedupe in the memory store, a handler), on the
// same limit: the path every adapter runs, and the one the telemetry hooks sit on.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { createWebhookHandler, silentLogger, verifyWebhook } from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { signedDeliveries } from './support/deliveries.mjs';
import Stripe from 'stripe';
import { Webhook } from 'svix';

const ROUNDS = 7;
const GOAL = 1.3;
const DEADLINE_MS = 20_000;

function event(size) {
  const base = { kind: 'session:processed', session_id: 'sess_12345abcdef', amount: 5000, status: 'success' };
  const padding = Math.max(0, size - JSON.stringify({ ...base, note: '' }).length);
  return JSON.stringify({ ...base, note: 'x'.repeat(padding) });
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function timePerOp(fn, iterations) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / iterations;
}

function scenario(size) {
  const secret = generateWebhookSecret();
  const text = event(size);
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
  const stripeVerify = () => stripe.webhooks.constructEvent(body, stripeHeader, stripeSecret);

  const svix = new Webhook(secret);
  const svixVerify = () => svix.verify(body, headers);

  for (const fn of [limit, ours, stripeVerify, svixVerify]) fn(); // each must verify
  return { limit, ours, stripe: stripeVerify, svix: svixVerify };
}

function measure(size, label) {
  const fns = scenario(size);
  const iterations = size > 1024 ? 2_000 : 10_000;
  const names = Object.keys(fns);
  for (const name of names) timePerOp(fns[name], iterations); // warm-up
  const samples = Object.fromEntries(names.map((n) => [n, []]));
  const started = Date.now();
  for (let r = 0; r < ROUNDS && Date.now() - started < DEADLINE_MS / 2; r++) {
    const order = r % 2 === 0 ? names : [...names].reverse();
    for (const name of order) samples[name].push(timePerOp(fns[name], iterations));
  }
  const ns = Object.fromEntries(names.map((n) => [n, median(samples[n])]));
  const ratio = ns.ours / ns.limit;
  return {
    name: `verify + parse + validate, ${label} event`,
    unit: 'ns/op',
    ours: ns.ours,
    baseline: ns.limit,
    baselineName: 'createHmac + timingSafeEqual + JSON.parse',
    ratio: Math.round(ratio * 1000) / 1000,
    goal: '≤ 1.30, ahead of stripe and svix',
    ok: ratio <= GOAL && ns.ours < ns.stripe && ns.ours < ns.svix,
    extra: { stripe: Math.round(ns.stripe), svix: Math.round(ns.svix) },
    note: `stripe.webhooks.constructEvent ${Math.round(ns.stripe)} ns/op, svix Webhook.verify ${Math.round(ns.svix)} ns/op`,
  };
}

const HANDLE_OPS = 5_000;
const HANDLE_GOAL = 2.5;

async function timePerOpAsync(fn, iterations) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn(i);
  return Number(process.hrtime.bigint() - start) / iterations;
}

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
  for (let r = 0; r < ROUNDS && Date.now() - started < DEADLINE_MS / 2; r++) {
    const ours = receiver();
    const order = r % 2 === 0 ? ['ours', 'limit'] : ['limit', 'ours'];
    for (const name of order) {
      samples[name].push(
        name === 'ours' ? await timePerOpAsync(ours, HANDLE_OPS) : timePerOp(limit, HANDLE_OPS),
      );
    }
  }
  const ns = { ours: median(samples.ours), limit: median(samples.limit) };
  const ratio = ns.ours / ns.limit;
  return {
    name: 'handle(): verify + dedupe (memory store) + handler, signed 92-byte event',
    unit: 'ns/op',
    ours: ns.ours,
    baseline: ns.limit,
    baselineName: 'createHmac + timingSafeEqual + JSON.parse',
    ratio: Math.round(ratio * 1000) / 1000,
    goal: `≤ ${HANDLE_GOAL}`,
    ok: ratio <= HANDLE_GOAL,
  };
}

/** Both sizes; one row each; then the receiver's whole path. */
export async function run() {
  return [measure(250, '250-byte'), measure(16 * 1024, '16 KB'), await measureHandle()];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await run());
}
