// The ORM x database pairs of bench/sql.bench.mjs. Each side opens the ORM on a fresh
// database with a pool of `poolSize` and gives: the bridge (ours), the handler's write with
// the ORM's own API, and the same work as a bare transaction of that ORM, by hand.
import { fileURLToPath } from 'node:url';
import { fromMysql2, fromPg, fromPrisma, fromTypeORM, migrationSql } from '@pasis/sql';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { tsImport } from 'tsx/esm/api';
import { DataSource, EntitySchema } from 'typeorm';
import generatePrisma from '../../packages/sql/src/test-support/prisma/generate.mjs';
import { hasMariadbBinaries, startMariadb } from '../../scripts/lib/throwaway-mariadb.mjs';

const PAYMENTS = {
  postgres:
    'CREATE TABLE IF NOT EXISTS payments (id serial PRIMARY KEY, session_id text NOT NULL, delivery_id text NOT NULL, amount integer NOT NULL)',
  mysql:
    'CREATE TABLE IF NOT EXISTS payments (id int AUTO_INCREMENT PRIMARY KEY, session_id varchar(200) NOT NULL, delivery_id varchar(300) NOT NULL, amount int NOT NULL)',
};
// The hand-written inbox has the store's own table shape (its index included), one
// statement at a time (Prisma sends one per call).
const INBOX = {
  postgres: statements(migrationSql('postgres', { table: 'bench_inbox' })),
  mysql: statements(migrationSql('mariadb', { table: 'bench_inbox' })),
};
function statements(sql) {
  return sql
    .split(';\n')
    .map((statement) => statement.replace(/^--.*$/gm, '').trim())
    .filter(Boolean);
}
const CLAIM = {
  postgres: 'INSERT INTO bench_inbox (dedupe_key) VALUES ($1) ON CONFLICT (dedupe_key) DO NOTHING',
  mysql: 'INSERT IGNORE INTO bench_inbox (dedupe_key) VALUES (?)',
};
const Payment = new EntitySchema({
  name: 'Payment',
  tableName: 'payments',
  columns: {
    id: { type: Number, primary: true, generated: true },
    sessionId: { type: String, name: 'session_id' },
    deliveryId: { type: String, name: 'delivery_id' },
    amount: { type: Number },
  },
});
const row = (sessionId, deliveryId) => ({ sessionId, deliveryId, amount: 5000 });

async function prismaClient(provider) {
  generatePrisma();
  const client = fileURLToPath(
    new URL(`../../packages/sql/src/test-support/prisma/generated/${provider}/client.ts`, import.meta.url),
  );
  return (await tsImport(client, import.meta.url)).PrismaClient;
}

async function prisma(url, poolSize, family) {
  let client;
  if (family === 'postgres') {
    const { PrismaPg } = await import('@prisma/adapter-pg');
    const PrismaClient = await prismaClient('postgresql');
    client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolSize }) });
  } else {
    const { PrismaMariaDb } = await import('@prisma/adapter-mariadb');
    const PrismaClient = await prismaClient('mysql');
    const at = new URL(url);
    const adapter = new PrismaMariaDb({
      host: at.hostname,
      port: Number(at.port),
      user: at.username,
      database: at.pathname.slice(1),
      connectionLimit: poolSize,
    });
    client = new PrismaClient({ adapter });
  }
  await client.$executeRawUnsafe(PAYMENTS[family]);
  for (const statement of INBOX[family]) await client.$executeRawUnsafe(statement);
  return {
    name: `prisma_${family}`,
    // Prisma calls MariaDB "mysql": the server is MariaDB, so the store is told (as its README says).
    bridge: fromPrisma(client, family === 'mysql' ? { dialect: 'mariadb' } : {}),
    write: (tx, sessionId, deliveryId) => tx.payment.create({ data: row(sessionId, deliveryId) }),
    byHand: (key, deliveryId) =>
      client.$transaction(async (tx) => {
        if ((await tx.$executeRawUnsafe(CLAIM[family], key)) === 1) {
          await tx.payment.create({ data: row(key, deliveryId) });
        }
      }),
    close: () => client.$disconnect(),
  };
}

async function typeorm(url, poolSize, family) {
  const type = family === 'postgres' ? 'postgres' : 'mariadb';
  const dataSource = await new DataSource({ type, url, poolSize, entities: [Payment] }).initialize();
  await dataSource.query(PAYMENTS[family]);
  for (const statement of INBOX[family]) await dataSource.query(statement);
  return {
    name: `typeorm_${family}`,
    bridge: fromTypeORM(dataSource),
    write: (tx, sessionId, deliveryId) => tx.getRepository(Payment).insert(row(sessionId, deliveryId)),
    byHand: (key, deliveryId) =>
      dataSource.transaction(async (tx) => {
        const claimed = await tx.queryRunner.query(CLAIM[family], [key], true);
        if (claimed.affected === 1) await tx.getRepository(Payment).insert(row(key, deliveryId));
      }),
    close: () => dataSource.destroy(),
  };
}

async function pgDriver(url, poolSize) {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  pool.on('error', () => {});
  await pool.query(PAYMENTS.postgres);
  for (const statement of INBOX.postgres) await pool.query(statement);
  const insert = 'INSERT INTO payments (session_id, delivery_id, amount) VALUES ($1, $2, 5000)';
  return {
    name: 'pg',
    bridge: fromPg(pool),
    write: (client, sessionId, deliveryId) => client.query(insert, [sessionId, deliveryId]),
    byHand: async (key, deliveryId) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        if ((await client.query(CLAIM.postgres, [key])).rowCount === 1)
          await client.query(insert, [key, deliveryId]);
        await client.query('COMMIT');
        client.release();
      } catch (error) {
        client.release(error);
        throw error;
      }
    },
    close: () => pool.end(),
  };
}

async function mysql2Driver(url, poolSize) {
  const pool = mysql.createPool({ uri: url, connectionLimit: poolSize });
  await pool.query(PAYMENTS.mysql);
  for (const statement of INBOX.mysql) await pool.query(statement);
  const insert = 'INSERT INTO payments (session_id, delivery_id, amount) VALUES (?, ?, 5000)';
  return {
    name: 'mysql2',
    bridge: fromMysql2(pool, { dialect: 'mariadb' }),
    write: (connection, sessionId, deliveryId) => connection.query(insert, [sessionId, deliveryId]),
    byHand: async (key, deliveryId) => {
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        if ((await connection.query(CLAIM.mysql, [key]))[0].affectedRows === 1) {
          await connection.query(insert, [key, deliveryId]);
        }
        await connection.commit();
        connection.release();
      } catch (error) {
        connection.destroy();
        throw error;
      }
    },
    close: () => pool.end(),
  };
}

/** The pairs measured, by database: the ORMs most Node merchants write through, and the bare drivers. */
export const SIDES = {
  PostgreSQL: {
    Prisma: (url, poolSize) => prisma(url, poolSize, 'postgres'),
    TypeORM: (url, poolSize) => typeorm(url, poolSize, 'postgres'),
    pg: pgDriver,
  },
  MariaDB: {
    Prisma: (url, poolSize) => prisma(url, poolSize, 'mysql'),
    TypeORM: (url, poolSize) => typeorm(url, poolSize, 'mysql'),
    mysql2: mysql2Driver,
  },
};

/** `{ url, close() }` of a fresh MariaDB database, or `{ unavailable: reason }`. */
export async function benchMariadb() {
  let server = process.env.PASIS_BENCH_MYSQL_URL || process.env.PASIS_TEST_MYSQL_URL;
  let started;
  if (!server) {
    if (!hasMariadbBinaries())
      return { unavailable: 'no PASIS_BENCH_MYSQL_URL and no mariadb-server to start' };
    started = await startMariadb();
    server = started.url;
  }
  const name = `pasis_bench_${process.pid}`;
  const admin = await mysql.createConnection({ uri: server });
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async close() {
      const cleanup = await mysql.createConnection({ uri: server });
      await cleanup.query(`DROP DATABASE IF EXISTS ${name}`).catch(() => {});
      await cleanup.end();
      started?.stop();
    },
  };
}
