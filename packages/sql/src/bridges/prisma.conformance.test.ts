import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaLibSql } from '@prisma/adapter-libsql';
import { PrismaMariaDb } from '@prisma/adapter-mariadb';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterAll, beforeAll, describe } from 'vitest';
import { createSqlStore, fromPrisma } from '../index.js';
import { describeSqlConformance, type Pair, WRITES_TABLE } from '../test-support/conformance.js';
import { PrismaClient as MysqlClient } from '../test-support/prisma/generated/mysql/client.js';
import { PrismaClient as PgClient } from '../test-support/prisma/generated/postgresql/client.js';
import { PrismaClient as SqliteClient } from '../test-support/prisma/generated/sqlite/client.js';
import { databaseFor } from '../test-support/servers.js';

// Prisma 7 through its driver adapters; the handler writes with Prisma's own API (tx.write.create).
type AnyPrisma = PgClient | MysqlClient | SqliteClient;

function prismaPair(
  name: string,
  dialect: 'postgres' | 'mysql' | 'mariadb' | 'sqlite',
  open: () => Promise<{ prisma: AnyPrisma; close(): Promise<void> }>,
  available = true,
) {
  describe.runIf(available)(`createSqlStore on Prisma, ${name}`, () => {
    let opened: Awaited<ReturnType<typeof open>>;
    let pair: Pair<unknown>;
    beforeAll(async () => {
      opened = await open();
      const prisma = opened.prisma as PgClient;
      pair = {
        name,
        bridge: fromPrisma(prisma, { dialect }) as never,
        write: async (tx, value) => void (await (tx as PgClient).write.create({ data: { value } })),
        count: async (value) => prisma.write.count({ where: { value } }),
      };
      await createSqlStore({ db: pair.bridge }).migrate();
      await prisma.$executeRawUnsafe(WRITES_TABLE[dialect === 'mariadb' ? 'mysql' : dialect]);
    });
    afterAll(() => opened?.close());
    describeSqlConformance(`Prisma, ${name}`, dialect, () => pair);
  });
}

const postgres = await databaseFor('postgres', 'Prisma on PostgreSQL');
prismaPair(
  'PostgreSQL (@prisma/adapter-pg)',
  'postgres',
  async () => {
    const prisma = new PgClient({ adapter: new PrismaPg({ connectionString: postgres!.url, max: 30 }) });
    const close = async () => {
      await prisma.$disconnect();
      await postgres!.drop();
    };
    return { prisma, close };
  },
  postgres !== undefined,
);

prismaPair('PGlite (pglite-prisma-adapter)', 'postgres', async () => {
  const db = new PGlite();
  const prisma = new PgClient({ adapter: new PrismaPGlite(db) });
  const close = async () => {
    await prisma.$disconnect();
    await db.close();
  };
  return { prisma, close };
});

const mariadb = await databaseFor('mysql', 'Prisma on MariaDB');
for (const dialect of ['mysql', 'mariadb'] as const) {
  prismaPair(
    `MariaDB (@prisma/adapter-mariadb), dialect ${dialect}`,
    dialect,
    async () => {
      const url = new URL(mariadb!.url);
      const adapter = new PrismaMariaDb({
        host: url.hostname,
        port: Number(url.port),
        user: url.username,
        database: url.pathname.slice(1),
        connectionLimit: 30,
      });
      const prisma = new MysqlClient({ adapter });
      const close = async () => {
        await prisma.$disconnect();
        if (dialect === 'mariadb') await mariadb!.drop();
      };
      return { prisma, close };
    },
    mariadb !== undefined,
  );
}

prismaPair('SQLite (@prisma/adapter-libsql)', 'sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pasis-prisma-sqlite-'));
  const prisma = new SqliteClient({ adapter: new PrismaLibSql({ url: `file:${join(dir, 'shop.db')}` }) });
  return {
    prisma,
    close: async () => {
      await prisma.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
