import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { SessionProcessedEvent } from '@pasis/core';
import { dedupeKey } from '@pasis/core/adapter';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from './index.js';
import { databaseForTests } from './test-support/database.js';
import { deliver } from './test-support/receiver.js';

const secret = generateWebhookSecret();
const receiver = fileURLToPath(new URL('./test-support/crash-receiver.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const PAYMENTS =
  'CREATE TABLE IF NOT EXISTS payments (id serial PRIMARY KEY, session_id text NOT NULL, delivery_id text NOT NULL, amount integer NOT NULL)';
let sessions = 0;
const paid = (): SessionProcessedEvent => ({
  kind: 'session:processed',
  session_id: `sess_crash_${process.pid}_${++sessions}`,
  amount: 5000,
  status: 'success',
});

/** A receiver process, and a wait for the lines it prints. */
interface Receiver {
  url: string;
  child: ChildProcess;
  waitFor(line: string): Promise<void>;
  kill(): Promise<void>;
}

async function startReceiver(env: Record<string, string>): Promise<Receiver> {
  const child = spawn(process.execPath, ['--import', 'tsx', receiver], {
    cwd: packageDir,
    env: { ...process.env, WEBHOOK_SECRET: secret, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const waiters: { line: string; resolve: () => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const waiter of waiters.filter((w) => line.startsWith(w.line))) waiter.resolve();
  });
  const waitFor = (line: string) =>
    new Promise<void>((resolve, reject) => {
      if (lines.some((l) => l.startsWith(line))) return resolve();
      const timer = setTimeout(() => reject(new Error(`the receiver never printed "${line}"`)), 60_000);
      waiters.push({
        line,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
      child.once('exit', (code) => reject(new Error(`the receiver exited (${code}) before "${line}"`)));
    });
  await waitFor('listening');
  const port = lines.find((l) => l.startsWith('listening'))!.split(' ')[1];
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    child,
    waitFor,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await once(child, 'exit');
    },
  };
}

/** Sends a delivery to a receiver that will be killed mid-way: the answer never comes. */
function deliverToDoomed(url: string, delivery: ReturnType<typeof signWebhook>) {
  return fetch(url, { method: 'POST', body: delivery.body, headers: delivery.headers }).then(
    () => 'answered',
    () => 'no answer',
  );
}

interface CrashBackend {
  env: Record<string, string>;
  /** [payments of the session, dedupe records of its key], read while no receiver runs (PGlite). */
  counts(event: SessionProcessedEvent): Promise<[number, number]>;
}

function crashScenarios(name: string, setup: () => Promise<CrashBackend>, teardown: () => Promise<void>) {
  describe(`a receiver process SIGKILLed mid-delivery (${name})`, () => {
    let backend: CrashBackend;
    beforeAll(async () => {
      backend = await setup();
    });
    afterAll(teardown);

    it('killed after its writes but before the commit: nothing kept, and the redelivery runs the handler', async () => {
      const event = paid();
      const delivery = signWebhook(event, { secret, id: 'msg_killed_before_commit' });
      const doomed = await startReceiver({ ...backend.env, CRASH: 'before-commit' });
      const answer = deliverToDoomed(doomed.url, delivery);
      await doomed.waitFor('written');
      await doomed.kill();
      expect(await answer).toBe('no answer');
      expect(await backend.counts(event)).toEqual([0, 0]);

      const restarted = await startReceiver(backend.env);
      try {
        expect(await deliver(restarted.url, delivery)).toMatchObject({ status: 200, outcome: 'handled' });
      } finally {
        await restarted.kill();
      }
      expect(await backend.counts(event)).toEqual([1, 1]);
    });

    it('killed right after the commit: the redelivery is a duplicate, and the payment exists once', async () => {
      const event = paid();
      const delivery = signWebhook(event, { secret, id: 'msg_killed_after_commit' });
      const doomed = await startReceiver({ ...backend.env, CRASH: 'after-commit' });
      const answer = deliverToDoomed(doomed.url, delivery);
      await doomed.waitFor('committed');
      await doomed.kill();
      expect(await answer).toBe('no answer');
      expect(await backend.counts(event)).toEqual([1, 1]);

      const restarted = await startReceiver(backend.env);
      try {
        expect(await deliver(restarted.url, delivery)).toMatchObject({ status: 200, outcome: 'duplicate' });
      } finally {
        await restarted.kill();
      }
      expect(await backend.counts(event)).toEqual([1, 1]);
    });
  });
}

type Reader = (sql: string, params: unknown[]) => Promise<{ rows: { n?: unknown }[] }>;
const countsIn = async (query: Reader, event: SessionProcessedEvent): Promise<[number, number]> => {
  const one = async (sql: string, param: string) => Number((await query(sql, [param])).rows[0]!.n);
  return [
    await one('SELECT count(*) AS n FROM payments WHERE session_id = $1', event.session_id),
    await one(
      'SELECT count(*) AS n FROM pasis_webhook_deliveries WHERE dedupe_key = $1',
      dedupeKey(event, ''),
    ),
  ];
};

const database = await databaseForTests('PostgreSQL store crash tests');
if (database) {
  let pool: pg.Pool;
  crashScenarios(
    'pg',
    async () => {
      pool = database.pool();
      await migrate(pool);
      await pool.query(PAYMENTS);
      return {
        env: { DATABASE_URL: database.url },
        counts: (event) => countsIn((sql, params) => pool.query(sql, params), event),
      };
    },
    () => database.drop(),
  );
}

// PGlite kept on disk, as the example shops keep it: one process at a time opens the dir.
const dir = mkdtempSync(join(tmpdir(), 'pasis-pglite-crash-'));
crashScenarios(
  'PGlite on disk',
  async () => {
    const db = new PGlite(dir);
    await migrate(db);
    await db.query(PAYMENTS);
    await db.close();
    const counts = async (event: SessionProcessedEvent) => {
      const reader = new PGlite(dir);
      try {
        return await countsIn((sql, params) => reader.query(sql, params), event);
      } finally {
        await reader.close();
      }
    };
    return { env: { PGLITE_DIR: dir }, counts };
  },
  async () => rmSync(dir, { recursive: true, force: true }),
);
