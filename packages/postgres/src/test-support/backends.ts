import { once } from 'node:events';
import { createServer } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { PostgresDatabase } from '../database.js';
import type { TestDatabase } from './database.js';
import { pgliteForTests } from './database.js';

/** A database the store runs on in a test, and how the test reads it from outside. */
export interface Backend {
  name: string;
  db: PostgresDatabase;
  /** Runs `sql` outside any delivery (call only while no delivery is open on PGlite). */
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  /** A database of the same kind that cannot be reached. */
  unreachable(): Promise<PostgresDatabase>;
  close(): Promise<void>;
}

/** A port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The store on a pg Pool of a fresh test database. */
export function pgBackend(database: TestDatabase, options: pg.PoolConfig = {}): Backend {
  const pool = database.pool(options);
  return {
    name: 'pg',
    db: pool,
    query: (sql, params) => pool.query(sql, params),
    async unreachable() {
      const down = new pg.Pool({
        host: '127.0.0.1',
        port: await closedPort(),
        connectionTimeoutMillis: 2000,
      });
      down.on('error', () => {});
      return down;
    },
    close: () => database.drop(),
  };
}

/** The store on an in-memory PGlite. */
export async function pgliteBackend(): Promise<Backend> {
  const db = await pgliteForTests();
  return {
    name: 'PGlite',
    db,
    query: (sql, params) => db.query(sql, params) as Promise<{ rows: Record<string, unknown>[] }>,
    async unreachable() {
      const closed = new PGlite();
      await closed.waitReady;
      await closed.close();
      return closed;
    },
    close: () => db.close(),
  };
}
