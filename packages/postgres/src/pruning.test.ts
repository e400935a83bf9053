import type { PasisLogger } from '@pasis/core';
import { silentLogger } from '@pasis/core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, migrate } from './index.js';
import { type Backend, pgBackend, pgliteBackend } from './test-support/backends.js';
import { databaseForTests } from './test-support/database.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let prefix = 0;

/** A logger that keeps what it was told. */
function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const at =
    (level: string) =>
    (message: string): void =>
      void lines.push({ level, message });
  const logger: PasisLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { logger, lines };
}

function pruningScenarios(name: string, setup: () => Promise<Backend>) {
  describe(`pruning old keys (${name})`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await setup();
      await migrate(backend.db);
    });
    afterAll(() => backend?.close());

    /** Inserts `count` keys recorded `ageMs` ago, under a prefix of their own. */
    async function seed(p: string, count: number, ageMs: number) {
      await backend.query(
        `INSERT INTO pasis_webhook_deliveries (dedupe_key, recorded_at)
         SELECT $1 || i, now() - $2 * interval '1 millisecond' FROM generate_series(1, $3) AS i`,
        [p, ageMs, count],
      );
    }
    const left = async (p: string) =>
      Number(
        (
          await backend.query('SELECT count(*) AS n FROM pasis_webhook_deliveries WHERE dedupe_key LIKE $1', [
            `${p}%`,
          ])
        ).rows[0]!.n,
      );

    it('deletes the keys older than the retention, in batches, and keeps the others', async () => {
      const p = `prune${++prefix}:`;
      await seed(`${p}old:`, 7, 60_000);
      await seed(`${p}new:`, 3, 0);
      const store = createPostgresStore({
        db: backend.db,
        retentionMs: 30_000,
        pruneBatchSize: 2,
        pruneIntervalMs: 0,
      });
      expect(await store.prune()).toBeGreaterThanOrEqual(7);
      expect([await left(`${p}old:`), await left(`${p}new:`)]).toEqual([0, 3]);
      expect(await store.prune()).toBe(0);
    });

    it('prunes on its timer, and stops on close()', async () => {
      const p = `prune${++prefix}:`;
      await seed(p, 3, 60_000);
      const store = createPostgresStore({ db: backend.db, retentionMs: 30_000, pruneIntervalMs: 50 });
      for (let i = 0; i < 200 && (await left(p)) > 0; i++) await sleep(25);
      expect(await left(p)).toBe(0);
      await store.close();
      await seed(p, 2, 60_000);
      await sleep(300); // six intervals: a running timer would have pruned them
      expect(await left(p)).toBe(2);
    });

    it('logs a failing prune once as a warning, then quietly until it works again', async () => {
      const { logger, lines } = recordingLogger();
      const store = createPostgresStore({ db: backend.db, table: 'missing', pruneIntervalMs: 30, logger });
      for (let i = 0; i < 200 && lines.length < 4; i++) await sleep(25);
      await store.close();
      expect(lines.length).toBeGreaterThanOrEqual(4);
      expect(lines.filter((line) => line.level === 'warn')).toHaveLength(1);
      expect(lines[0]).toMatchObject({
        level: 'warn',
        message: '@pasis/postgres: pruning old delivery keys failed',
      });
    });
  });
}

const database = await databaseForTests('PostgreSQL store pruning');
const second = database && (await databaseForTests('PostgreSQL store pruning beside claims'));
if (database && second) {
  pruningScenarios('pg', async () => pgBackend(database));

  describe('pruning beside a claim (pg)', () => {
    let pool: pg.Pool;
    beforeAll(async () => {
      pool = second.pool();
      await migrate(pool);
    });
    afterAll(() => second.drop());

    it('skips a row another transaction holds instead of waiting for it', async () => {
      await pool.query(
        "INSERT INTO pasis_webhook_deliveries VALUES ('held', now() - interval '1 hour'), ('free', now() - interval '1 hour')",
      );
      const holder = await pool.connect();
      try {
        await holder.query('BEGIN');
        await holder.query("SELECT 1 FROM pasis_webhook_deliveries WHERE dedupe_key = 'held' FOR UPDATE");
        const store = createPostgresStore({
          db: pool,
          retentionMs: 1000,
          pruneIntervalMs: 0,
          logger: silentLogger,
        });
        expect(await store.prune()).toBeGreaterThanOrEqual(1); // 'free' went; 'held' was skipped, not waited for
        const keys = (
          await pool.query(
            "SELECT dedupe_key FROM pasis_webhook_deliveries WHERE dedupe_key IN ('held', 'free')",
          )
        ).rows;
        expect(keys).toEqual([{ dedupe_key: 'held' }]);
        await holder.query('ROLLBACK');
        expect(await store.prune()).toBe(1);
      } finally {
        holder.release();
      }
    });

    it('migrates from several processes at once', async () => {
      const pools = Array.from({ length: 4 }, () => second.pool({ max: 1 }));
      await pool.query('CREATE SCHEMA concurrent');
      await Promise.all(pools.map((p) => migrate(p, { table: 'concurrent.deliveries' })));
      const { rows } = await pool.query("SELECT to_regclass('concurrent.deliveries') IS NOT NULL AS created");
      expect(rows).toEqual([{ created: true }]);
    });
  });
}
pruningScenarios('PGlite', pgliteBackend);
