// Loopback load for the adapter benchmarks: the server under test runs in a worker thread
// (its own event loop), the client here keeps a fixed number of requests in flight over
// keep-alive connections. Bounded in count and time; targets 127.0.0.1 only.
import { Worker } from 'node:worker_threads';
import { Pool } from 'undici';

/** Starts `script` in a worker; it must post `{ port }` once listening. */
export async function startServer(script, workerData) {
  const worker = new Worker(script, { workerData });
  const { port } = await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return { url: `http://127.0.0.1:${port}`, close: () => worker.terminate() };
}

/** Sends every request once, `concurrency` at a time; returns requests per second. */
export async function blast(url, path, requests, { concurrency = 16, deadlineMs = 10_000 } = {}) {
  const pool = new Pool(url, { connections: concurrency });
  let next = 0;
  let failures = 0;
  const started = process.hrtime.bigint();
  const deadline = Date.now() + deadlineMs;
  const lane = async () => {
    while (next < requests.length && Date.now() < deadline) {
      const { body, headers } = requests[next++];
      const res = await pool.request({ path, method: 'POST', headers, body });
      await res.body.dump();
      if (res.statusCode !== 200) failures++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await pool.close();
  if (failures > 0) throw new Error(`${failures} requests to ${path} did not answer 200`);
  return next / seconds;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

/**
 * Alternates rounds of ours and the baseline (ABBA), each on fresh requests from
 * `makeRequests(round)`, and compares median throughput.
 */
export async function compareThroughput({ ours, baseline, path, makeRequests, rounds = 5, warmup = 3_000 }) {
  // Warm both servers well past the JIT's tiers: a short warm-up measured the larger code
  // path (ours) before it was optimised, and flattered the baseline.
  for (let w = 0; w < 2; w++) {
    await blast(ours.url, path, makeRequests(`warm-ours-${w}`, warmup));
    await blast(baseline.url, path, makeRequests(`warm-base-${w}`, warmup));
  }
  const samples = { ours: [], baseline: [] };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
    for (const side of order) {
      const server = side === 'ours' ? ours : baseline;
      samples[side].push(await blast(server.url, path, makeRequests(`${side}-${r}`)));
    }
  }
  return { ours: median(samples.ours), baseline: median(samples.baseline) };
}

/**
 * One adapter benchmark: the server `script` run twice in workers (`side: 'ours'` and
 * `side: 'baseline'`), fed distinct signed deliveries, compared on median throughput.
 */
export async function adapterBenchmark({ name, baselineName, script, requests = 3_000, goal = 0.9 }) {
  const { generateWebhookSecret } = await import('@pasis/core/testing');
  const { signedDeliveries } = await import('./deliveries.mjs');
  const secret = generateWebhookSecret();
  const ours = await startServer(script, { side: 'ours', secret });
  const baseline = await startServer(script, { side: 'baseline', secret });
  try {
    const result = await compareThroughput({
      ours,
      baseline,
      path: '/webhook',
      makeRequests: (round, count = requests) => signedDeliveries(secret, round, count),
    });
    const ratio = result.ours / result.baseline;
    return [
      {
        name,
        unit: 'req/s',
        ours: result.ours,
        baseline: result.baseline,
        baselineName,
        ratio: Math.round(ratio * 1000) / 1000,
        goal: `≥ ${goal.toFixed(2)}`,
        ok: ratio >= goal,
        note: 'every request a distinct signed delivery (the handler really runs); 16 in flight over loopback; median of 5 alternating rounds',
      },
    ];
  } finally {
    await ours.close();
    await baseline.close();
  }
}
