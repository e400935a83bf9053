// Loopback load for the adapter benchmarks: the server under test runs in its own process,
// the client here keeps a fixed number of requests in flight over keep-alive connections.
// Bounded in count and time; targets 127.0.0.1 only.
//
// On Linux with `taskset` and two or more cores, the client is pinned to the first core and
// every server to the second: the client and the server under test then never compete for
// a core with each other or with the idle servers' background threads, which made rounds
// of the same server differ by ±25%. Every side gets the same core, so it is fair to all.
import { execFileSync, fork } from 'node:child_process';
import { cpus } from 'node:os';
import { Pool } from 'undici';
import { adapterRows } from './adapter-rows.mjs';
import { benchConfig } from './config.mjs';
import { median } from './report.mjs';

export { median };

function pin(pid, cores) {
  try {
    execFileSync('taskset', ['-a', '-cp', cores, String(pid)], { stdio: 'ignore' });
  } catch {
    // No taskset (macOS, a minimal image): unpinned, merely noisier.
  }
}

const canPin = process.platform === 'linux' && cpus().length >= 2;
const ALL_CORES = `0-${cpus().length - 1}`;

/** Starts `script` in a child process; it must call `ready(port)` once listening. */
export async function startServer(script, serverData) {
  const child = fork(script, [], {
    env: { ...process.env, PASIS_BENCH_SERVER: JSON.stringify(serverData) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
  if (canPin) pin(child.pid, '1');
  // CPU readings answered over IPC, matched by their sequence number.
  const waiting = new Map();
  let asked = 0;
  child.on('message', (m) => {
    if (m?.cpu === undefined) return;
    waiting.get(m.cpu)?.({ user: m.user, system: m.system });
    waiting.delete(m.cpu);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    /** The server process's CPU time so far (`{ user, system }`, µs), as it reports it. */
    cpuUsage: () =>
      new Promise((resolve) => {
        const id = ++asked;
        waiting.set(id, resolve);
        child.send({ cpu: id });
      }),
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill();
      }),
  };
}

/** Sends every request once, `concurrency` at a time; returns `{ rps, sent }` (wall clock). */
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
  return { rps: next / seconds, sent: next };
}

/**
 * One measured round of one server: plain throughput (`rps`, requests per wall-clock second
 * at the client) and requests per CPU-second of the server process (`cpuRps`).
 */
async function measureRound(server, path, requests) {
  const before = await server.cpuUsage();
  const { rps, sent } = await blast(server.url, path, requests);
  const after = await server.cpuUsage();
  const user = after.user - before.user;
  const system = after.system - before.system;
  // µs of user and of system (kernel) time per request: where the server's time went.
  return { rps, cpuRps: sent / ((user + system) / 1e6), userUs: user / sent, systemUs: system / sent };
}

/** (max − min) / median of one side's samples: how much its rounds disagreed. */
export const spreadOf = (values) => (Math.max(...values) - Math.min(...values)) / median(values);

// A side whose rounds disagree by more than this gets more rounds, within these bounds.
const NOISY = 0.15;
const MORE_ROUNDS = 6;
const BUDGET_MS = 60_000;

/**
 * Measures every server in `servers` (name → a `startServer` result) in alternating rounds,
 * each on fresh requests from `makeRequests(round, count)`. Returns, per server, the median
 * requests per CPU-second of the server (`cpuRps`) and the median plain throughput (`rps`),
 * the spread of the CPU rate over the rounds (`spread`; of the plain throughput: `rpsSpread`),
 * the median user and system µs per request (`userUs`, `systemUs`) and the number of `rounds`. The order rotates every round, so drift on a shared machine
 * hits every side alike.
 */
export async function compareThroughput({ servers, path, makeRequests, rounds, warmup, warmups }) {
  const config = benchConfig();
  rounds ??= config.rounds(7);
  warmup ??= config.requests(3_000);
  warmups ??= config.warmups(2);
  const started = Date.now();
  const names = Object.keys(servers);
  // Warm every server well past the JIT's tiers: a short warm-up measured the larger code
  // path (ours) before it was optimised, and flattered the baseline.
  for (let w = 0; w < warmups; w++) {
    for (const name of names) await blast(servers[name].url, path, makeRequests(`warm-${name}-${w}`, warmup));
  }
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  const measured = Date.now();
  let r = 0;
  const round = async () => {
    const order = names.map((_, i) => names[(i + r) % names.length]);
    if (r % 2 === 1) order.reverse();
    for (const name of order) {
      samples[name].push(await measureRound(servers[name], path, makeRequests(`${name}-${r}`)));
    }
    r++;
  };
  const cpu = (name) => samples[name].map((s) => s.cpuRps);
  const wall = (name) => samples[name].map((s) => s.rps);
  while (r < rounds) await round();
  // A noisy side gets more rounds, so that its median stands on more samples. (The range
  // never shrinks as samples are added: once noisy, a side uses every round the bounds allow.)
  const noisy = () => names.some((name) => spreadOf(cpu(name)) > NOISY);
  const roundMs = () => (Date.now() - measured) / r;
  while (noisy() && r < rounds + MORE_ROUNDS && Date.now() - started + roundMs() < BUDGET_MS) await round();
  const of = (fn, of) => Object.fromEntries(names.map((name) => [name, fn(of(name))]));
  return {
    cpuRps: of(median, cpu),
    rps: of(median, wall),
    spread: of(spreadOf, cpu),
    rpsSpread: of(spreadOf, wall),
    userUs: of(median, (name) => samples[name].map((s) => s.userUs)),
    systemUs: of(median, (name) => samples[name].map((s) => s.systemUs)),
    rounds: r,
    samples,
  };
}

/**
 * One adapter benchmark: the server `script` run in child processes (`side: 'ours'` and
 * `side: 'baseline'`), fed distinct signed deliveries, compared on median requests per
 * CPU-second of each server, with plain throughput beside it (adapter-rows.mjs).
 *
 * With `limit`, a third process (`side: 'limit'`) runs the least any verifying receiver must
 * do on that framework (raw bytes, one HMAC, a constant-time compare, JSON.parse; no
 * dedupe, no checks). The goal then applies to ours against that limit: it is what ours can
 * reach on that framework. Ours and the limit against the bare baseline are measured only.
 * `goal: null` measures every row.
 */
export async function adapterBenchmark({ name, baselineName, script, requests = 5_000, goal = 0.9, limit }) {
  const { generateWebhookSecret } = await import('@pasis/core/testing');
  const { signedDeliveries } = await import('./deliveries.mjs');
  const secret = generateWebhookSecret();
  const count = benchConfig().requests(requests);
  const sides = limit ? ['ours', 'baseline', 'limit'] : ['ours', 'baseline'];
  const servers = {};
  // The client (this process) on the first core for this benchmark only: the others
  // (the client and verify benchmarks) keep every core.
  if (canPin) pin(process.pid, '0');
  try {
    for (const side of sides) servers[side] = await startServer(script, { side, secret });
    const measured = await compareThroughput({
      servers,
      path: '/webhook',
      makeRequests: (round, n = count) => signedDeliveries(secret, round, n),
    });
    measured.requests = count;
    return adapterRows({ name, baselineName, limit, measured, goal });
  } finally {
    for (const server of Object.values(servers)) await server.close();
    if (canPin) pin(process.pid, ALL_CORES);
  }
}
