import { fileURLToPath } from 'node:url';
import type { SessionProcessedEvent } from '@pasis/core';
import { generateWebhookSecret, type SignedWebhook, signWebhook } from '@pasis/core/testing';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { fromMysql2, fromPg, migrate } from './index.js';
import { type ReceiverProcess, startReceiver } from './test-support/receiver-process.js';
import { databaseFor, type TestDatabase, testPool } from './test-support/servers.js';

// Two receiver processes share one database; one of them commits a delivery and is killed
// with SIGKILL before it answers. 2 x 100 deliveries of one payment (fresh webhook ids: the
// provider's redeliveries), then every one not answered 2xx delivered again, as Pasis would:
// exactly one payment row, and the handler never ran a second time.
const secret = generateWebhookSecret();
const receiver = fileURLToPath(new URL('./test-support/crash-receiver.ts', import.meta.url));
const PER_PROCESS = 100;
const PAYMENTS = {
  postgres:
    'CREATE TABLE IF NOT EXISTS payments (id serial PRIMARY KEY, session_id text NOT NULL, delivery_id text NOT NULL, amount integer NOT NULL)',
  mariadb:
    'CREATE TABLE IF NOT EXISTS payments (id int AUTO_INCREMENT PRIMARY KEY, session_id varchar(200) NOT NULL, delivery_id varchar(300) NOT NULL, amount int NOT NULL)',
};

/** The answer to one delivery: `200 duplicate`, `409`, or `no answer` (the process died). */
async function deliver(url: string, delivery: SignedWebhook): Promise<string> {
  try {
    const response = await fetch(url, { method: 'POST', body: delivery.body, headers: delivery.headers });
    const body = (await response.json()) as { outcome?: string; error?: { code: string } };
    return `${response.status} ${body.outcome ?? body.error?.code}`;
  } catch {
    return 'no answer';
  }
}

interface Database {
  db: TestDatabase;
  /** [payment rows of the session, its dedupe records] */
  counts(event: SessionProcessedEvent): Promise<[number, number]>;
  close(): Promise<void>;
}

async function prepare(kind: 'postgres' | 'mariadb', db: TestDatabase): Promise<Database> {
  const key = (event: SessionProcessedEvent) => `session:processed/${event.session_id}/${event.status}`;
  if (kind === 'postgres') {
    const pool = testPool(db.url);
    await migrate(fromPg(pool));
    await pool.query(PAYMENTS.postgres);
    const one = async (sql: string, param: string) => Number((await pool.query(sql, [param])).rows[0].n);
    return {
      db,
      counts: async (event) => [
        await one('SELECT count(*) AS n FROM payments WHERE session_id = $1', event.session_id),
        await one('SELECT count(*) AS n FROM pasis_webhook_deliveries WHERE dedupe_key = $1', key(event)),
      ],
      close: () => pool.end(),
    };
  }
  const pool = mysql.createPool({ uri: db.url });
  await migrate(fromMysql2(pool));
  await pool.query(PAYMENTS.mariadb);
  const one = async (sql: string, param: string) =>
    Number(((await pool.query(sql, [param]))[0] as { n: number }[])[0]!.n);
  return {
    db,
    counts: async (event) => [
      await one('SELECT count(*) AS n FROM payments WHERE session_id = ?', event.session_id),
      await one('SELECT count(*) AS n FROM pasis_webhook_deliveries WHERE dedupe_key = ?', key(event)),
    ],
    close: () => pool.end(),
  };
}

const servers = {
  postgres: await databaseFor('postgres', 'kill -9 tests on PostgreSQL'),
  mariadb: await databaseFor('mysql', 'kill -9 tests on MariaDB'),
};
let sessions = 0;

describe.each([
  ['prisma', 'postgres'],
  ['typeorm', 'postgres'],
  ['prisma', 'mariadb'],
  ['typeorm', 'mariadb'],
] as const)('two %s receivers on %s, one SIGKILLed after its commit and before its answer', (orm, kind) => {
  const server = servers[kind];
  const running: ReceiverProcess[] = [];
  let database: Database | undefined;
  afterAll(async () => {
    for (const process of running) await process.kill();
    await database?.close();
  });

  it.runIf(server)(
    `keeps exactly one payment of 2 x ${PER_PROCESS} deliveries and their redeliveries`,
    async () => {
      database ??= await prepare(kind, server!);
      const event: SessionProcessedEvent = {
        kind: 'session:processed',
        session_id: `sess_kill_${orm}_${process.pid}_${++sessions}`,
        amount: 5000,
        status: 'success',
      };
      const env = { ORM: orm, DATABASE: kind, DATABASE_URL: server!.url, WEBHOOK_SECRET: secret };
      const start = async (crash: boolean) => {
        const started = await startReceiver(receiver, crash ? { ...env, CRASH: 'after-commit' } : env);
        running.push(started);
        return started;
      };
      const processes = [await start(true), await start(true)];
      const deliveries = processes.map((_, p) =>
        Array.from({ length: PER_PROCESS }, (_, i) =>
          signWebhook(event, { secret, id: `msg_${orm}_${p}_${i}` }),
        ),
      );
      const answers = Promise.all(
        processes.map((r, p) => Promise.all(deliveries[p]!.map((d) => deliver(r.url, d)))),
      );
      // Whichever commits first dies there: kill -9, before its answer is written.
      const killed = await Promise.race(processes.map((r, p) => r.waitFor('committed').then(() => p)));
      await processes[killed]!.kill();
      const first = (await answers).flat();
      expect(await database.counts(event)).toEqual([1, 1]);
      expect(first.filter((a) => a === '200 handled')).toEqual([]); // the one that handled it died unanswered

      // Pasis redelivers everything not answered 2xx, to the survivor and the restarted process.
      processes[killed] = await start(false);
      const pending = deliveries.flat().filter((_, i) => !first[i]!.startsWith('200'));
      expect(pending.length).toBeGreaterThan(0);
      const redelivered: string[] = [];
      for (let round = 0; round < 30 && pending.length > 0; round++) {
        const batch = pending.splice(0);
        const outcomes = await Promise.all(batch.map((d, i) => deliver(processes[i % 2]!.url, d)));
        for (const [i, outcome] of outcomes.entries()) {
          if (outcome.startsWith('200')) redelivered.push(outcome);
          else pending.push(batch[i]!);
        }
        if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      }
      expect(pending).toEqual([]);
      expect(new Set(redelivered)).toEqual(new Set(['200 duplicate']));
      expect(await database.counts(event)).toEqual([1, 1]);
    },
  );
});

afterAll(async () => {
  await servers.postgres?.drop();
  await servers.mariadb?.drop();
});
