#!/usr/bin/env node
// The checkout client against a bare fetch doing the same request (same headers, same JSON
// body, response parsed) to the same local server. What it measures is the client's own
// overhead per call: validation, wire mapping, timeout and retry plumbing, response checks.
// Both sides are warmed up, then timed in rounds of 1,000 sequential creates, alternating
// which side goes first; the median rounds are compared. Loopback makes the round trip tiny,
// so the ratio magnifies the client's fixed cost (validation, the timeout's AbortSignal) far
// beyond what it is against the real provider. Bounded: OPS calls per side, a deadline.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createPasisClient, silentLogger } from '@pasis/core';

const OPS = 1_000;
const WARMUP = 200;
const ROUNDS = 6;
const DEADLINE_MS = 60_000;
const GOAL = 1.1;

const SESSION = JSON.stringify({
  session_id: 'sess_12345',
  amount: 5000,
  kind: 'session:created',
  payment_link: 'https://checkout.pasis.rw/pay/sess_12345',
  created_at: '2025-09-11T09:00:00Z',
});
const PARAMS = { items: [{ name: 'Money Transfer', amount: 5000 }], email: 'customer@mail.com' };
const APP_ID = 'app_bench';

// The server runs in a worker thread: on one event loop its work would interleave with the
// client's and blur what the client itself costs.
const SERVER_SOURCE = `
  const { createServer } = require('node:http');
  const { parentPort, workerData } = require('node:worker_threads');
  const body = workerData;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
  parentPort.on('message', () => { server.closeAllConnections(); server.close(() => process.exit(0)); });
`;

async function startServer() {
  const worker = new Worker(SERVER_SOURCE, { eval: true, workerData: SESSION });
  const port = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    port,
    close: () =>
      new Promise((resolve) => {
        worker.once('exit', resolve);
        worker.postMessage('close');
      }),
  };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs the benchmark; returns one row for bench/run.mjs. */
export async function run() {
  const server = await startServer();
  const baseUrl = `http://127.0.0.1:${server.port}/`;
  const url = `${baseUrl}api/checkouts/initiate`;
  const client = createPasisClient({ appId: APP_ID, baseUrl, logger: silentLogger });

  const ours = () => client.checkout.sessions.create(PARAMS);
  // The baseline does by hand what a careful caller would: same headers, a fresh key,
  // the wire body, and the JSON parsed; no validation, no timeout, no retries.
  const base = async () => {
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        'Idempotency-Key': randomUUID(),
      },
      body: JSON.stringify({
        items: PARAMS.items.map((i) => ({ name: i.name, Amount: i.amount })),
        app_id: APP_ID,
        email: PARAMS.email,
      }),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    return json;
  };

  // One round = 1,000 sequential creates on one side, timed as a whole: exactly what the
  // goal speaks of. Rounds alternate ABBA so drift (GC, JIT, a neighbour's load) falls on
  // both sides, and the median round of each side is compared.
  const round = async (fn) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < OPS; i++) await fn();
    return Number(process.hrtime.bigint() - start);
  };

  try {
    for (let i = 0; i < WARMUP; i++) {
      await ours();
      await base();
    }
    globalThis.gc?.();
    const started = Date.now();
    const oursNs = [];
    const baseNs = [];
    for (let r = 0; r < ROUNDS && Date.now() - started < DEADLINE_MS; r++) {
      const order = r % 2 === 0 ? [ours, base] : [base, ours];
      for (const fn of order) (fn === ours ? oursNs : baseNs).push(await round(fn));
    }
    const ratio = median(oursNs) / median(baseNs);
    return {
      name: `client: ${OPS.toLocaleString('en')} sequential creates (median of ${oursNs.length} rounds)`,
      unit: 'µs/create',
      ours: median(oursNs) / OPS / 1000,
      baseline: median(baseNs) / OPS / 1000,
      baselineName: 'bare fetch, same request',
      ratio: Math.round(ratio * 1000) / 1000,
      goal: '≤ 1.10',
      ok: ratio <= GOAL,
      note: "loopback: the round trip is tiny, so the client's fixed cost (the per-attempt timeout's AbortSignal, which undici follows) weighs far more than against the real provider",
    };
  } finally {
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await run());
}
