#!/usr/bin/env node
// The checkout client against a bare fetch doing the same request (same headers, same JSON
// body, response parsed) to the same local server. What it measures is the client's own
// overhead per call: validation, wire mapping, timeout and retry plumbing, response checks.
// Both sides are warmed up, then interleaved in alternating blocks so drift (GC, JIT, CPU
// frequency) falls on both. Bounded: OPS calls per side, and a wall-clock deadline.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createPasisClient, silentLogger } from '@pasis/core';

const OPS = 1_000;
const BLOCKS = 20;
const WARMUP = 200;
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

function summary(ns, ops) {
  return { opsPerSec: Math.round((ops * 1e9) / ns), nsPerOp: Math.round(ns / ops) };
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

  const block = async (fn, n) => {
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await fn();
    return Number(process.hrtime.bigint() - start);
  };

  try {
    for (let i = 0; i < WARMUP / 50; i++) {
      await block(ours, 50);
      await block(base, 50);
    }
    const started = Date.now();
    const perBlock = OPS / BLOCKS;
    let oursNs = 0;
    let baseNs = 0;
    let done = 0;
    const pairRatios = [];
    for (let b = 0; b < BLOCKS && Date.now() - started < DEADLINE_MS; b++) {
      globalThis.gc?.();
      // ABBA order: neither side always runs first after a collection.
      let o;
      let a;
      if (b % 2 === 0) {
        o = await block(ours, perBlock);
        a = await block(base, perBlock);
      } else {
        a = await block(base, perBlock);
        o = await block(ours, perBlock);
      }
      oursNs += o;
      baseNs += a;
      pairRatios.push(o / a);
      done += perBlock;
    }
    // The median of the paired blocks' time ratios: one block stalled by the machine (a
    // neighbour's burst of work, a GC) moves a sum, not a median.
    pairRatios.sort((x, y) => x - y);
    const mid = pairRatios.length >> 1;
    const ratio = pairRatios.length % 2 === 1 ? pairRatios[mid] : (pairRatios[mid - 1] + pairRatios[mid]) / 2;
    return {
      name: `client: ${done.toLocaleString('en')} creates`,
      baseline: 'bare fetch',
      ours: summary(oursNs, done),
      base: summary(baseNs, done),
      ratio: Math.round(ratio * 1000) / 1000,
      goal: '≤ 1.10',
      ok: ratio <= GOAL,
    };
  } finally {
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(await run());
}
