/**
 * One instance of a fleet, for fleet-reconcile.e2e.test.ts: a reconciler whose receiver
 * and lease are on a shared store (FLEET_STORE: `redis`, `postgres`, or `mariadb` through
 * @pasis/sql, at FLEET_STORE_URL),
 * retrieving from Pasis at PASIS_BASE_URL. Driven over stdin, one JSON line per command:
 * `{ "run": [session ids] }` runs once over those sessions, `{ "run": [...], "hang": true }`
 * claims its share and then hangs (the test kills it there). It prints JSON lines:
 * `{ "ready": pid }`, `{ "claimed": n }` after each claim, `{ "handled": id }` from the
 * handler, `{ "summary": ... }` after a run.
 */
import { createInterface } from 'node:readline';
import {
  createPasisClient,
  createReconciler,
  createWebhookHandler,
  silentLogger,
  type WebhookStore,
} from '@pasis/core';
import type { ReconcileLease } from '@pasis/core/adapter';
import { createPostgresReconcileLease, createPostgresStore } from '@pasis/postgres';
import { createRedisReconcileLease, createRedisStore } from '@pasis/redis';
import { createSqlReconcileLease, createSqlStore, fromMysql2 } from '@pasis/sql';
import { Redis } from 'ioredis';
import mysql from 'mysql2/promise';
import pg from 'pg';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const say = (line: object) => process.stdout.write(`${JSON.stringify(line)}\n`);

let store: WebhookStore<unknown>;
let shared: ReconcileLease;
const kind = env('FLEET_STORE');
if (kind === 'mariadb') {
  const db = fromMysql2(mysql.createPool({ uri: env('FLEET_STORE_URL'), connectionLimit: 6 }), {
    dialect: 'mariadb',
  });
  store = createSqlStore({ db, pruneIntervalMs: 0 }) as WebhookStore<unknown>;
  shared = createSqlReconcileLease({ db });
} else if (kind === 'redis') {
  const redis = new Redis(env('FLEET_STORE_URL'), { maxRetriesPerRequest: 1 });
  store = createRedisStore({ client: redis }) as WebhookStore<unknown>;
  shared = createRedisReconcileLease({ client: redis });
} else {
  const pool = new pg.Pool({ connectionString: env('FLEET_STORE_URL'), max: 6 });
  pool.on('error', () => {});
  store = createPostgresStore({ db: pool, pruneIntervalMs: 0 }) as WebhookStore<unknown>;
  shared = createPostgresReconcileLease({ db: pool });
}

let hang = false;
// The lease as the reconciler sees it, telling the test what each claim granted.
const lease: ReconcileLease = {
  async claim(ids, options) {
    const granted = await shared.claim(ids, options);
    say({ claimed: granted.length });
    if (hang) await new Promise(() => {}); // dies here, its share claimed: kill -9 comes next
    return granted;
  },
};

let sessions: string[] = [];
const reconciler = createReconciler({
  client: createPasisClient({
    appId: env('PASIS_APP_ID'),
    baseUrl: env('PASIS_BASE_URL'),
    logger: silentLogger,
  }),
  webhooks: createWebhookHandler({
    secret: env('PASIS_WEBHOOK_SECRET'),
    store,
    logger: silentLogger,
    on: { 'session:processed': (event) => say({ handled: event.session_id }) },
  }),
  sessions: () => sessions,
  lease,
  leaseMs: Number(env('FLEET_LEASE_MS')),
  logger: silentLogger,
});

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line) as { run: string[]; hang?: boolean };
  sessions = command.run;
  hang = command.hang === true;
  void reconciler.run({ olderThanMs: 0 }).then((summary) => say({ summary }));
});
say({ ready: process.pid });
