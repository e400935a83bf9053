/**
 * A fleet shares one reconciler's work: 3 processes, each a reconciler with its receiver
 * and lease on one shared store (Redis; PostgreSQL; MariaDB through @pasis/sql), asking the sandbox about the same
 * pending sessions, whose webhooks were lost. Retrieves are counted at a proxy in front of
 * the sandbox. One run of all three retrieves each session once, not 3 times, and settles
 * it once; an instance killed (-9) after claiming its share (a chunk: what it was about to
 * retrieve) leaves it untouched until the lease ran out, and the next run of the others takes
 * it up. No timing is asserted: the one wait is for the lease to run out, with a margin.
 */
import { createPasisClient, silentLogger } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { createPostgresReconcileLease, createPostgresStore } from '@pasis/postgres';
import { createSandbox, type Sandbox } from '@pasis/sandbox';
import { createSqlReconcileLease, createSqlStore, fromMysql2 } from '@pasis/sql';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseForTests } from '../../packages/postgres/src/test-support/database.js';
import { redisForTests } from '../../packages/redis/src/test-support/redis-server.js';
import { databaseFor } from '../../packages/sql/src/test-support/servers.js';
import { type CountingProxy, startCountingProxy } from '../support/counting-proxy.js';
import { type FleetProcess, startFleetProcess } from './fleet/fleet-process.js';

const SUITE = 'a fleet of reconcilers';
const SESSIONS = 60;
// Long enough that the runs below, on a loaded machine, all happen within one lease.
const LEASE_MS = 8_000;
const sum = (fleet: FleetProcess[], count: (p: FleetProcess) => number) =>
  fleet.reduce((n, p) => n + count(p), 0);

/** Where the fleet's shared store is, per store; undefined: skipped (loudly, by the helper). */
const stores: {
  name: string;
  open: () => Promise<{ url: string; close: () => Promise<void> } | undefined>;
}[] = [
  {
    name: 'redis',
    open: async () => {
      const redis = await redisForTests(`${SUITE} on Redis`);
      return redis && { url: redis.url, close: () => redis.stop() };
    },
  },
  {
    name: 'postgres',
    open: async () => {
      const database = await databaseForTests(`${SUITE} on PostgreSQL`);
      if (database === undefined) return undefined;
      const pool = new pg.Pool({ connectionString: database.url, max: 2 });
      await createPostgresStore({ db: pool, pruneIntervalMs: 0 }).migrate();
      await createPostgresReconcileLease({ db: pool }).migrate();
      await pool.end();
      return { url: database.url, close: () => database.drop() };
    },
  },
  {
    name: 'mariadb',
    open: async () => {
      const server = await throwawayMariadb();
      const database = await databaseFor('mysql', `${SUITE} on MariaDB`);
      if (database === undefined) return undefined;
      const pool = mysql.createPool({ uri: database.url, connectionLimit: 2 });
      const db = fromMysql2(pool, { dialect: 'mariadb' });
      await createSqlStore({ db, pruneIntervalMs: 0 }).migrate();
      await createSqlReconcileLease({ db }).migrate();
      await pool.end();
      return {
        url: database.url,
        close: async () => {
          await database.drop();
          server?.stop();
        },
      };
    },
  },
];

/**
 * `PASIS_TEST_MYSQL_URL` when given; else, with Debian's binaries, a throwaway MariaDB
 * (scripts/lib, as the sql package's runs start one), stopped by the caller.
 */
async function throwawayMariadb(): Promise<{ stop: () => void } | undefined> {
  if (process.env.PASIS_TEST_MYSQL_URL) return undefined;
  const lib = new URL('../../scripts/lib/throwaway-mariadb.mjs', import.meta.url).href;
  const { hasMariadbBinaries, startMariadb } = (await import(lib)) as {
    hasMariadbBinaries: () => boolean;
    startMariadb: () => Promise<{ url: string; stop: () => void }>;
  };
  if (!hasMariadbBinaries()) return undefined;
  const server = await startMariadb();
  process.env.PASIS_TEST_MYSQL_URL = server.url;
  return server;
}

describe.each(stores)('3 reconciler processes sharing $name', ({ name, open }) => {
  let sandbox: Sandbox;
  let proxy: CountingProxy;
  let store: { url: string; close: () => Promise<void> } | undefined;
  let fleet: FleetProcess[] = [];
  let pay: (n: number) => Promise<string[]>;

  beforeAll(async () => {
    store = await open();
    if (store === undefined) return;
    sandbox = createSandbox({ retrySchedule: [] });
    proxy = await startCountingProxy(await sandbox.listen(0, '127.0.0.1'));
    const secret = generateWebhookSecret();
    const app = sandbox.registerApp({
      name: `Fleet on ${name}`,
      webhook_secret: secret,
      // Nobody listens: every webhook is lost, only the reconcilers can settle the sessions.
      callback_url: 'http://127.0.0.1:9/webhook',
      return_url: 'http://127.0.0.1:9/return',
      verified: true,
    });
    const client = createPasisClient({ appId: app.app_id, baseUrl: sandbox.url, logger: silentLogger });
    pay = async (n) => {
      const ids: string[] = [];
      for (let i = 0; i < n; i++) {
        const session = await client.checkout.sessions.create({
          items: [{ name: 'Money Transfer', amount: 5000 }],
          email: 'customer@mail.com',
        });
        const paid = await fetch(`${sandbox.url}/_sandbox/sessions/${session.session_id}/complete`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ status: 'success', webhook: 'lose' }),
        });
        expect(paid.status).toBe(200);
        ids.push(session.session_id);
      }
      return ids;
    };
    const env = {
      FLEET_STORE: name,
      FLEET_STORE_URL: store.url,
      FLEET_LEASE_MS: String(LEASE_MS),
      PASIS_APP_ID: app.app_id,
      PASIS_BASE_URL: proxy.url,
      PASIS_WEBHOOK_SECRET: secret,
    };
    fleet = await Promise.all([1, 2, 3].map(() => startFleetProcess(env)));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(fleet.map((p) => p.kill()));
    await proxy?.close();
    await sandbox?.close();
    await store?.close();
  });

  it(`retrieves each of ${SESSIONS} pending sessions once in one run of all 3, and settles each once`, async (ctx) => {
    if (store === undefined) return ctx.skip();
    const ids = await pay(SESSIONS);
    const before = proxy.totalRetrieves();
    const summaries = await Promise.all(fleet.map((p) => p.run(ids)));
    const retrieves = proxy.totalRetrieves() - before;
    console.log(
      `fleet on ${name}: ${retrieves} retrieves for ${SESSIONS} sessions; shares ${summaries.map((s) => s.handled).join('/')}`,
    );
    expect(retrieves).toBe(SESSIONS);
    for (const id of ids) expect(proxy.retrieves(id)).toBe(1);
    expect(fleet.flatMap((p) => p.handled).sort()).toEqual([...ids].sort());
    expect(summaries.reduce((n, s) => n + s.handled, 0)).toBe(SESSIONS);
    expect(summaries.reduce((n, s) => n + s.heldElsewhere, 0)).toBe(2 * SESSIONS);
    for (const s of summaries) expect(s).toMatchObject({ listed: SESSIONS, failed: 0, skipped: 0 });
  });

  it('leaves the share of an instance killed mid-run to the next run after the lease', async (ctx) => {
    if (store === undefined) return ctx.skip();
    const ids = await pay(30);
    const [doomed, ...rest] = fleet as [FleetProcess, FleetProcess, FleetProcess];
    const handledBefore = sum(rest, (p) => p.handled.length);
    // It claims its first share (a chunk of the page: what it is about to retrieve), then hangs
    // before retrieving any: kill -9.
    const claimsBefore = doomed.claimed.length;
    void doomed.run(ids, { hang: true });
    await doomed.claims(claimsBefore + 1);
    const share = doomed.claimed.at(-1)!;
    expect(share).toBeGreaterThan(0);
    expect(share).toBeLessThan(30);
    await doomed.kill();
    fleet = rest;
    // Within its lease, the others leave its share alone and settle the rest, once.
    const during = await Promise.all(rest.map((p) => p.run(ids)));
    for (const s of during) expect(s).toMatchObject({ listed: 30, failed: 0, skipped: 0 });
    expect(during.reduce((n, s) => n + s.handled, 0)).toBe(30 - share);
    expect(during.reduce((n, s) => n + s.heldElsewhere, 0)).toBe(30 + share);
    const left = ids.filter((id) => proxy.retrieves(id) === 0);
    expect(left).toHaveLength(share);
    // The next run after the lease ran out (listing what the app still has pending, as a
    // shop's query would) takes it up, once across the two.
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS + 1_000));
    const after = await Promise.all(rest.map((p) => p.run(left)));
    expect(after.reduce((n, s) => n + s.handled, 0)).toBe(share);
    expect(after.reduce((n, s) => n + s.heldElsewhere, 0)).toBe(share);
    for (const id of ids) expect(proxy.retrieves(id)).toBe(1);
    expect(sum(rest, (p) => p.handled.length) - handledBefore).toBe(30);
  });
});
