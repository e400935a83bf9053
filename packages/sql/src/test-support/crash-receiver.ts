/**
 * A webhook receiver in a child process, for the kill -9 tests: Express, pasisWebhook and
 * createSqlStore through Prisma or TypeORM on PostgreSQL or MariaDB, with a handler that
 * records a payment with the ORM's own API in ctx.tx. With `CRASH=after-commit` it stops
 * dead right after the store committed a delivery, before the answer is written, and says
 * `committed` on stdout so that the test can SIGKILL it exactly there.
 *
 * Environment: `ORM` (`prisma` | `typeorm`), `DATABASE` (`postgres` | `mariadb`),
 * `DATABASE_URL`, `WEBHOOK_SECRET`, `CRASH`. Prints `listening <port>` once ready.
 */

import { silentLogger } from '@pasis/core';
import { pasisWebhook } from '@pasis/express';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaPg } from '@prisma/adapter-pg';
import express from 'express';
import { DataSource, EntitySchema } from 'typeorm';
import { createSqlStore, fromPrisma, fromTypeORM, type SqlStore } from '../index.js';
import { PrismaClient as MysqlClient } from './prisma/generated/mysql/client.js';
import { PrismaClient as PgClient } from './prisma/generated/postgresql/client.js';

const { ORM, DATABASE, DATABASE_URL, WEBHOOK_SECRET, CRASH } = process.env;
const say = (line: string) => process.stdout.write(`${line}\n`);
const url = new URL(DATABASE_URL!);

interface Payment {
  id: number;
  sessionId: string;
  deliveryId: string;
  amount: number;
}
const PaymentSchema = new EntitySchema<Payment>({
  name: 'Payment',
  tableName: 'payments',
  columns: {
    id: { type: Number, primary: true, generated: true },
    sessionId: { type: String, name: 'session_id' },
    deliveryId: { type: String, name: 'delivery_id' },
    amount: { type: Number },
  },
});

type Record = (tx: unknown, payment: Omit<Payment, 'id'>) => Promise<unknown>;

async function open(): Promise<{ store: SqlStore<unknown>; record: Record }> {
  const options = { lockTimeoutMs: 2_000, pruneIntervalMs: 0, logger: silentLogger };
  if (ORM === 'prisma') {
    const prisma =
      DATABASE === 'postgres'
        ? new PgClient({ adapter: new PrismaPg({ connectionString: DATABASE_URL!, max: 30 }) })
        : new MysqlClient({
            adapter: new PrismaMariaDb({
              host: url.hostname,
              port: Number(url.port),
              user: url.username,
              database: url.pathname.slice(1),
              connectionLimit: 30,
            }),
          });
    const store = createSqlStore({ db: fromPrisma(prisma as PgClient), ...options });
    return {
      store: store as SqlStore<unknown>,
      record: (tx, data) => (tx as PgClient).payment.create({ data }),
    };
  }
  const type = DATABASE === 'postgres' ? 'postgres' : 'mariadb';
  const dataSource = await new DataSource({
    type,
    url: DATABASE_URL!,
    entities: [PaymentSchema],
    poolSize: 30,
  }).initialize();
  const store = createSqlStore({ db: fromTypeORM(dataSource), ...options });
  return {
    store: store as SqlStore<unknown>,
    record: (tx, data) => (tx as DataSource['manager']).getRepository(PaymentSchema).insert(data),
  };
}

const { store, record } = await open();
const complete = store.complete;
store.complete = async (key, token, options) => {
  await complete(key, token, options);
  if (CRASH === 'after-commit') {
    say('committed');
    await new Promise<never>(() => {}); // the test SIGKILLs this process now
  }
};

const app = express();
app.use(
  pasisWebhook({
    secret: WEBHOOK_SECRET,
    store,
    logger: silentLogger,
    on: {
      'session:processed': (event, ctx) =>
        record(ctx.tx, { sessionId: event.session_id, deliveryId: ctx.deliveryId, amount: event.amount }),
    },
  }),
);
const server = app.listen(0, '127.0.0.1', () =>
  say(`listening ${(server.address() as { port: number }).port}`),
);
