#!/usr/bin/env node
// @pasis/sql's delivery path through an ORM (createWebhookHandler: verify, parse, the claim in
// the ORM's transaction, a handler writing one row with the ORM, the check and the commit)
// against a bare transaction of the same ORM doing the same work by hand: the dedupe key's
// conflict-free INSERT and the same row, on the same database and pool. 16 deliveries in
// flight, interleaved rounds, medians; one row per ORM x database. A second row per pair
// (measured) sets ours against the same receiver on core's memory store whose handler does
// the by-hand transaction: the store's own cost, the receiver's (verify, parse, dispatch)
// taken out. PostgreSQL from bench/support/postgres.mjs; MariaDB from PASIS_BENCH_MYSQL_URL,
// PASIS_TEST_MYSQL_URL or a throwaway server (scripts/lib/throwaway-mariadb.mjs). Bounded in
// count and time.
//
// PASIS_BENCH_SQL_ONLY measures only the rows whose "<ORM> on <database>" contains one of
// its comma-separated parts (case-insensitive), e.g. PASIS_BENCH_SQL_ONLY="pg on PostgreSQL"
// or "MariaDB"; a database none of them names is not started.
import { pathToFileURL } from 'node:url';
import { createWebhookHandler, silentLogger } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { createSqlStore } from '@pasis/sql';
import { benchConfig } from './support/config.mjs';
import { signedDeliveries } from './support/deliveries.mjs';
import { benchDatabase } from './support/postgres.mjs';
import { benchMariadb, SIDES } from './support/sql-sides.mjs';

const { rounds, requests, warmups } = benchConfig();
const OPS = requests(1_000);
const ROUNDS = rounds(7);
const CONCURRENCY = 16;
const DEADLINE_MS = 120_000;
const GOAL = 0.85;

const ONLY = (process.env.PASIS_BENCH_SQL_ONLY ?? '')
  .split(',')
  .map((part) => part.trim().toLowerCase())
  .filter(Boolean);
const selected = (orm, database) =>
  ONLY.length === 0 || ONLY.some((part) => `${orm} on ${database}`.toLowerCase().includes(part));

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/** Runs `op(i)` for i in [0, count), CONCURRENCY at a time; answers operations per second. */
async function throughput(op, count, deadline) {
  let next = 0;
  const started = process.hrtime.bigint();
  const lane = async () => {
    while (next < count && Date.now() < deadline) await op(next++);
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  return next / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** Measures one ORM x database pair: ours against the bare transaction, interleaved. */
async function measure(side) {
  const secret = generateWebhookSecret();
  const store = createSqlStore({ db: side.bridge, pruneIntervalMs: 0, logger: silentLogger });
  await store.migrate();
  const webhooks = createWebhookHandler({
    secret,
    store,
    logger: silentLogger,
    on: { 'session:processed': (event, ctx) => side.write(ctx.tx, event.session_id, ctx.deliveryId) },
  });
  // The same receiver (verify, parse, dispatch) on core's memory store, its handler doing the
  // by-hand transaction: ours against it is the store's own cost, the receiver's taken out.
  const byHandWebhooks = createWebhookHandler({
    secret,
    logger: silentLogger,
    on: {
      'session:processed': (event, ctx) => side.byHand(`by_receiver/${event.session_id}`, ctx.deliveryId),
    },
  });
  const sides = {
    ours: (round, count) => {
      const deliveries = signedDeliveries(secret, `${side.name}_${round}`, count);
      return async (i) => {
        const answer = await webhooks.handle(deliveries[i]);
        if (answer.status !== 200) throw new Error(`ours answered ${answer.status}: ${answer.body}`);
      };
    },
    baseline: (round) => (i) =>
      side.byHand(`session:processed/sess_hand_${side.name}_${round}_${i}/success`, `msg_${round}_${i}`),
    receiver: (round, count) => {
      const deliveries = signedDeliveries(secret, `${side.name}_recv_${round}`, count);
      return async (i) => {
        const answer = await byHandWebhooks.handle(deliveries[i]);
        if (answer.status !== 200) throw new Error(`the receiver answered ${answer.status}: ${answer.body}`);
      };
    },
  };
  const deadline = Date.now() + DEADLINE_MS;
  for (const [name, make] of Object.entries(sides)) {
    for (let w = 0; w < warmups(2); w++) await throughput(make(`warm${w}_${name}`, OPS), OPS, deadline);
  }
  const samples = { ours: [], baseline: [], receiver: [] };
  const orders = [
    ['ours', 'baseline', 'receiver'],
    ['baseline', 'receiver', 'ours'],
    ['receiver', 'ours', 'baseline'],
  ];
  for (let r = 0; r < ROUNDS && Date.now() < deadline; r++) {
    const order = orders[r % orders.length];
    for (const name of order) samples[name].push(await throughput(sides[name](`r${r}`, OPS), OPS, deadline));
  }
  return {
    ours: median(samples.ours),
    baseline: median(samples.baseline),
    receiver: median(samples.receiver),
    rounds: samples.ours.length,
  };
}

/** Runs the benchmark; returns one row per ORM x database for bench/run.mjs. */
export async function run() {
  const start = { PostgreSQL: benchDatabase, MariaDB: benchMariadb };
  const servers = {};
  for (const [database, open] of Object.entries(start)) {
    if (Object.keys(SIDES[database]).some((orm) => selected(orm, database))) servers[database] = await open();
  }
  const rows = [];
  try {
    for (const [database, server] of Object.entries(servers)) {
      for (const [orm, open] of Object.entries(SIDES[database])) {
        if (!selected(orm, database)) continue;
        const name = `webhook path, @pasis/sql, ${orm} on ${database} (one row in ctx.tx)`;
        const row = {
          name,
          unit: 'deliveries/s',
          baselineName: `${orm} transaction by hand`,
          goal: `≥ ${GOAL}`,
        };
        if (server.unavailable) {
          rows.push({ ...row, skipped: server.unavailable });
          continue;
        }
        const side = await open(server.url, CONCURRENCY + 2);
        try {
          const { ours, baseline, receiver, rounds: done } = await measure(side);
          const ratio = Math.round((ours / baseline) * 1000) / 1000;
          const note = `distinct signed deliveries, ${CONCURRENCY} in flight, median of ${done} interleaved rounds of ${OPS}`;
          rows.push({ ...row, ours, baseline, ratio, ok: ratio >= GOAL, note });
          // The same ours against the receiver doing the by-hand transaction in its handler:
          // what the store itself costs, with verification, parsing and dispatch on both sides.
          rows.push({
            name: `${name}: the store's own cost`,
            unit: 'deliveries/s',
            ours,
            baseline: receiver,
            baselineName: `the same receiver (memory store), its handler doing the ${orm} transaction by hand`,
            ratio: Math.round((ours / receiver) * 1000) / 1000,
            goal: 'none (measured)',
            ok: true,
            note: `${note}; that receiver reaches ${Math.round((receiver / baseline) * 1000) / 1000} of the bare transaction`,
          });
        } finally {
          await side.close();
        }
      }
    }
  } finally {
    for (const server of Object.values(servers)) await server.close?.();
  }
  return rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table(await run());
