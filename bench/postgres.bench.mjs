#!/usr/bin/env node
// The webhook path with the PostgreSQL store (createWebhookHandler: verify, parse, claim in a
// transaction, a handler doing one INSERT through ctx.tx, commit) against the same work done
// by hand on the same pool: BEGIN, INSERT the dedupe key, INSERT the row, COMMIT. Both sides
// use tables of the same shape, run CONCURRENCY at a time, in interleaved rounds; medians.
// Needs a server: PASIS_BENCH_DATABASE_URL, PASIS_TEST_DATABASE_URL, or a private cluster
// started like CI's; without one the row says why it was not run. Bounded in count and time.
import { pathToFileURL } from 'node:url';
import { createWebhookHandler, silentLogger } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { createPostgresStore, migrationSql } from '@pasis/postgres';
import pg from 'pg';
import { signedDeliveries } from './support/deliveries.mjs';
import { benchDatabase } from './support/postgres.mjs';

const OPS = 2_000;
const WARMUP = 1_000;
const ROUNDS = 7;
const CONCURRENCY = 8;
const DEADLINE_MS = 90_000;
const GOAL = 0.85;
const NAME = 'webhook path, PostgreSQL store (one INSERT in ctx.tx)';
const BASELINE = 'BEGIN + INSERT key + INSERT row + COMMIT by hand';

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

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

async function measure(url) {
  const pool = new pg.Pool({ connectionString: url, max: CONCURRENCY + 2, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  const secret = generateWebhookSecret();
  try {
    const store = createPostgresStore({ db: pool, pruneIntervalMs: 0, logger: silentLogger });
    await store.migrate();
    // The hand-written inbox has the same table shape (key, recorded_at, index) as the store's.
    await pool.query(migrationSql('bench_inbox'));
    await pool.query(
      'CREATE TABLE bench_payments (session_id text NOT NULL, delivery_id text NOT NULL, amount integer NOT NULL)',
    );
    const INSERT = 'INSERT INTO bench_payments (session_id, delivery_id, amount) VALUES ($1, $2, $3)';
    const webhooks = createWebhookHandler({
      secret,
      store,
      logger: silentLogger,
      on: {
        'session:processed': async (event, ctx) => {
          await ctx.tx.query(INSERT, [event.session_id, ctx.deliveryId, event.amount]);
        },
      },
    });

    const sides = {
      ours: (round, count) => {
        const deliveries = signedDeliveries(secret, `pg_${round}`, count);
        return async (i) => {
          const answer = await webhooks.handle(deliveries[i]);
          if (answer.status !== 200) throw new Error(`ours answered ${answer.status}: ${answer.body}`);
        };
      },
      baseline: (round) => async (i) => {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const claimed = await client.query(
            'INSERT INTO bench_inbox (dedupe_key) VALUES ($1) ON CONFLICT (dedupe_key) DO NOTHING RETURNING true',
            [`session:processed/sess_hand_${round}_${i}/success`],
          );
          if (claimed.rows.length === 1)
            await client.query(INSERT, [`sess_hand_${round}_${i}`, `msg_${round}_${i}`, 5000]);
          await client.query('COMMIT');
          client.release();
        } catch (error) {
          client.release(error);
          throw error;
        }
      },
    };
    const deadline = Date.now() + DEADLINE_MS;
    for (const [name, make] of Object.entries(sides))
      await throughput(make(`warm_${name}`, WARMUP), WARMUP, deadline);
    const samples = { ours: [], baseline: [] };
    for (let r = 0; r < ROUNDS && Date.now() < deadline; r++) {
      const order = r % 2 === 0 ? ['ours', 'baseline'] : ['baseline', 'ours'];
      for (const name of order)
        samples[name].push(await throughput(sides[name](`r${r}`, OPS), OPS, deadline));
    }
    return { ours: median(samples.ours), baseline: median(samples.baseline), rounds: samples.ours.length };
  } finally {
    await pool.end();
  }
}

/** Runs the benchmark; returns one row for bench/run.mjs. */
export async function run() {
  const database = await benchDatabase();
  if (database.unavailable) {
    return {
      name: NAME,
      unit: 'deliveries/s',
      baselineName: BASELINE,
      goal: `≥ ${GOAL}`,
      skipped: database.unavailable,
    };
  }
  try {
    const { ours, baseline, rounds } = await measure(database.url);
    const ratio = ours / baseline;
    return {
      name: NAME,
      unit: 'deliveries/s',
      ours,
      baseline,
      baselineName: BASELINE,
      ratio: Math.round(ratio * 1000) / 1000,
      goal: `≥ ${GOAL}`,
      ok: ratio >= GOAL,
      note: `distinct signed deliveries, ${CONCURRENCY} in flight on one pool, median of ${rounds} interleaved rounds of ${OPS}`,
    };
  } finally {
    await database.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) console.table([await run()]);
