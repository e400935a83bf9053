/**
 * A webhook receiver in a child process, for the crash tests: Express, pasisWebhook and the
 * PostgreSQL store on a real database, with a handler that records a payment through
 * ctx.tx. It stops dead at one point of a delivery and says so on stdout, so the test can
 * SIGKILL it exactly there:
 *
 * - `CRASH=before-commit`: after the handler's write, before the commit (prints `written`);
 * - `CRASH=after-commit`: right after the commit, before answering (prints `committed`).
 *
 * Environment: `DATABASE_URL` (pg) or `PGLITE_DIR` (PGlite on disk), `WEBHOOK_SECRET`.
 * Prints `listening <port>` once ready.
 */
import { silentLogger } from '@pasis/core';
import { pasisWebhook } from '@pasis/express';
import express from 'express';
import { createPostgresStore, type PostgresDatabase } from '../index.js';

const { CRASH, DATABASE_URL, PGLITE_DIR, WEBHOOK_SECRET } = process.env;
const hang = () => new Promise<never>(() => {});
const say = (line: string) => process.stdout.write(`${line}\n`);

async function open(): Promise<PostgresDatabase> {
  if (DATABASE_URL) {
    const { default: pg } = await import('pg');
    return new pg.Pool({ connectionString: DATABASE_URL });
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const db = new PGlite(PGLITE_DIR);
  await db.waitReady;
  return db;
}

const store = createPostgresStore({ db: await open(), logger: silentLogger });
const complete = store.complete;
store.complete = async (key, token, options) => {
  await complete(key, token, options);
  if (CRASH === 'after-commit') {
    say('committed');
    await hang();
  }
};

const app = express();
app.use(
  pasisWebhook({
    secret: WEBHOOK_SECRET,
    store,
    logger: silentLogger,
    on: {
      'session:processed': async (event, ctx) => {
        await ctx.tx.query('INSERT INTO payments (session_id, delivery_id, amount) VALUES ($1, $2, $3)', [
          event.session_id,
          ctx.deliveryId,
          event.amount,
        ]);
        if (CRASH === 'before-commit') {
          say('written');
          await hang();
        }
      },
    },
  }),
);
const server = app.listen(0, '127.0.0.1', () =>
  say(`listening ${(server.address() as { port: number }).port}`),
);
