#!/usr/bin/env node
// A merchant back from an outage: N pending sessions (90% paid, their webhooks lost; 10%
// still open), and a sandbox limited to 100 retrieves a second (`--rate-limit 100`, in its
// own process). One reconciler run drains them, with its defaults and no ceiling: it must
// find the limit from Pasis's 429s. Rows, each a same-run ratio:
//   - time: the run's duration / the ideal (N / 100 s, every session retrieved once at the
//     limit); goal ≤ 1.15, for N = 5,000 and 20,000 (the 20,000 row takes ~200 s; not under
//     --quick);
//   - refused: 429s / retrieves sent; goal < 1%; and unsettled paid sessions; goal 0 (note);
//   - memory: the largest heap retained during the 20,000 run (after a GC at each page) /
//     the same for 5,000; goal ≤ 1.2;
//   - a fleet: the 5,000 drained by 3 reconcilers on one lease (createMemoryReconcileLease;
//     each with its own client and pacer, as 3 processes would have), each finding its share
//     of the one limit alone: time / the same ideal, measured (no goal yet).
// The pending orders are read a page at a time from a file (fixed-width lines, sorted), as
// a database would serve them by cursor, so the app's side holds no list of N ids either;
// the dedupe store is the memory store with maxEntries 1,000 (the app's choice of store
// must not be what grows).
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  createMemoryStore,
  createPasisClient,
  createReconciler,
  createWebhookHandler,
  silentLogger,
} from '@pasis/core';
import { createMemoryReconcileLease, generateWebhookSecret } from '@pasis/core/testing';
import { fileSessions, seed } from './support/backlog.mjs';
import { benchConfig } from './support/config.mjs';

const config = benchConfig();
const LIMIT = 100;
const SIZES = config.quick ? [300] : [5_000, 20_000];
const FLEET = 3;
const PAID_SHARE = 0.9;
const SEED_AT_ONCE = 16;
const GOAL_TIME = 1.15;
const GOAL_REFUSED = 0.01;
const GOAL_MEMORY = 1.2;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc');

function startSandbox(dataDir) {
  const child = fork(new URL('./support/sandbox-child.mjs', import.meta.url), [dataDir, String(LIMIT)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () => new Promise((resolve) => child.once('message', resolve));
  return { child, next };
}

/** Seeds, writes the pending file, restarts the sandbox limited; the ids die here. */
async function prepare(dir, sandbox, n) {
  const first = await sandbox.next();
  const { ids, paid } = await seed(first.url, first.appId, n, PAID_SHARE, SEED_AT_ONCE);
  sandbox.child.send('limit');
  const { url, appId } = await sandbox.next();
  return { url, appId, paid, source: fileSessions(join(dir, 'pending.txt'), ids) };
}

async function drain(n, instances = 1) {
  const dir = mkdtempSync(join(tmpdir(), 'pasis-reconcile-bench-'));
  const sandbox = startSandbox(join(dir, 'data'));
  try {
    const { url, appId, paid, source } = await prepare(dir, sandbox, n);
    let paidHandled = 0;
    const receiver = () =>
      createWebhookHandler({
        secret: generateWebhookSecret(),
        logger: silentLogger,
        store: createMemoryStore({ maxEntries: 1_000 }),
        on: {
          // Only paid sessions have ended: each success is one paid session settled.
          'session:processed': (event) => {
            if (event.status === 'success') paidHandled++;
          },
        },
      });
    let retained = 0;
    // Once per page: a full GC, then what survives is what the run holds.
    const onPage = (message) => {
      if (!message.includes(' page ') || instances > 1) return;
      gc();
      retained = Math.max(retained, process.memoryUsage().heapUsed);
    };
    const logger = { ...silentLogger, info: onPage, debug: onPage };
    const lease = instances > 1 ? createMemoryReconcileLease() : undefined;
    const fleet = Array.from({ length: instances }, () =>
      createReconciler({
        client: createPasisClient({ appId, baseUrl: url, logger: silentLogger }),
        webhooks: receiver(),
        sessions: source.sessions,
        logger,
        lease,
      }),
    );
    gc();
    const before = process.memoryUsage().heapUsed;
    const started = performance.now();
    const summaries = await Promise.all(fleet.map((reconciler) => reconciler.run({ olderThanMs: 0 })));
    const seconds = (performance.now() - started) / 1000;
    const summary = { ...summaries[0] };
    for (const other of summaries.slice(1)) {
      for (const key of ['checked', 'refused', 'failed', 'handled', 'stillOpen', 'deferred'])
        summary[key] += other[key];
    }
    summary.pace = summaries.map((one) => one.pace).join(' / ');
    source.close();
    const sent = summary.checked + summary.refused + summary.failed;
    return { n, seconds, summary, sent, paid, unsettled: paid - paidHandled, before, retained };
  } finally {
    sandbox.child.send('exit');
    await new Promise((resolve) => sandbox.child.once('exit', resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

const mb = (bytes) => (bytes / 2 ** 20).toFixed(1);

export async function run() {
  const results = [];
  for (const n of SIZES) results.push(await drain(n));
  const fleet = await drain(SIZES[0], FLEET);
  const rows = [];
  for (const r of [...results, fleet]) {
    const ideal = r.n / LIMIT;
    const s = r.summary;
    const refusedShare = r.summary.refused / r.sent;
    const who = r === fleet ? `, ${FLEET} reconcilers on one lease` : '';
    const goal = r === fleet ? undefined : GOAL_TIME;
    rows.push({
      name: `reconciler: ${r.n.toLocaleString('en')} pending sessions (90% paid) against the sandbox at --rate-limit ${LIMIT}${who}: time to settle`,
      unit: 's',
      ours: Math.round(r.seconds * 10) / 10,
      baseline: ideal,
      baselineName: `the ideal: ${r.n.toLocaleString('en')} retrieves at ${LIMIT}/s`,
      ratio: Math.round((r.seconds / ideal) * 1000) / 1000,
      goal: goal === undefined ? 'none (measured)' : `≤ ${goal}`,
      ok:
        (goal === undefined || r.seconds / ideal <= goal) && refusedShare < GOAL_REFUSED && r.unsettled === 0,
      note: `refused ${s.refused} of ${r.sent} retrieves (${(refusedShare * 100).toFixed(2)}%, goal < 1%); unsettled ${r.unsettled} of ${r.paid} paid (goal 0); handled ${s.handled}, still open ${s.stillOpen}, deferred ${s.deferred}, failed ${s.failed}; pace at the end ${s.pace}/s`,
    });
    rows.push({
      name: `reconciler: ${r.n.toLocaleString('en')} pending sessions${who}: retrieves refused (429)`,
      unit: 'retrieves',
      ours: s.refused,
      baseline: r.sent,
      baselineName: 'retrieves sent',
      ratio: Math.round(refusedShare * 10_000) / 10_000,
      goal: `< ${GOAL_REFUSED}, and none left unsettled`,
      ok: refusedShare < GOAL_REFUSED && r.unsettled === 0,
      note: `unsettled ${r.unsettled}; deferred ${s.deferred}`,
    });
  }
  if (results.length === 2) {
    const [small, large] = results;
    rows.push({
      name: `reconciler: heap retained during a run (after a GC per page), ${large.n.toLocaleString('en')} vs ${small.n.toLocaleString('en')} pending sessions`,
      unit: 'MB',
      ours: Number(mb(large.retained)),
      baseline: Number(mb(small.retained)),
      baselineName: `the same with ${small.n.toLocaleString('en')}`,
      ratio: Math.round((large.retained / small.retained) * 1000) / 1000,
      goal: `≤ ${GOAL_MEMORY}`,
      ok: large.retained / small.retained <= GOAL_MEMORY,
      note: `growth over the heap before the run: ${mb(large.retained - large.before)} MB vs ${mb(small.retained - small.before)} MB`,
    });
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.table(await run());
  process.exit(0);
}
