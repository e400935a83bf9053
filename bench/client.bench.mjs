#!/usr/bin/env node
// The checkout client against a bare fetch doing the same request (same headers, same JSON
// body, response parsed) to the same local server. What it measures is the client's own
// overhead per call: validation, wire mapping, timeout and retry plumbing, response checks.
// Both sides are warmed up, then alternated call by call, so drift (GC, JIT, CPU frequency,
// a neighbour's load) falls on both; each side's median call time is compared. Calling the
// two alternately also keeps each one's code about as cold as in a real server, where a
// create is one call among many (blocks of one side at a time flatter the bigger code
// path: they measured ~1.06 where this measures ~1.2). Loopback makes the round trip tiny,
// so the ratio magnifies the client's fixed cost (validation, the timeout's AbortSignal) far
// beyond what it is against the real provider. Bounded: OPS calls per side, a deadline.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createPasisClient, silentLogger } from '@pasis/core';

const OPS = 1_000;
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

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// Per-call median time, and the throughput it implies.
function summary(ns) {
  const perOp = median(ns);
  return { opsPerSec: Math.round(1e9 / perOp), nsPerOp: Math.round(perOp) };
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

  const timed = async (fn) => {
    const start = process.hrtime.bigint();
    await fn();
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
    // Alternate call by call (ABBA), so both sides meet the same machine at the same
    // moment: a neighbour's burst of work or a GC lands on both, not on one block.
    for (let i = 0; i < OPS && Date.now() - started < DEADLINE_MS; i++) {
      if (i % 2 === 0) {
        oursNs.push(await timed(ours));
        baseNs.push(await timed(base));
      } else {
        baseNs.push(await timed(base));
        oursNs.push(await timed(ours));
      }
    }
    // Medians: a stalled call moves a sum, not a median.
    const ratio = median(oursNs) / median(baseNs);
    return {
      name: `client: ${oursNs.length.toLocaleString('en')} creates`,
      baseline: 'bare fetch',
      ours: summary(oursNs),
      base: summary(baseNs),
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
