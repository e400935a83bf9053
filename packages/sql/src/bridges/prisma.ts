import type { SqlBridge } from '../bridge.js';
import type { DialectName } from '../dialects/index.js';
import { configError } from '../errors.js';
import { answersRows, dialectFor } from './results.js';

/** The part of a PrismaClient the bridge uses: the interactive `$transaction`. */
export interface PrismaClientLike {
  // biome-ignore lint/suspicious/noExplicitAny: Prisma's own signature
  $transaction(fn: (tx: any) => Promise<any>, options?: any): Promise<any>;
}

interface PrismaTransactionLike {
  $executeRawUnsafe(sql: string): Promise<number>;
  $queryRawUnsafe(sql: string): Promise<unknown>;
}

/**
 * Prisma's transaction client, as the client's own `$transaction` types it
 * (`Prisma.TransactionClient`, or an extended client's): what `ctx.tx` is.
 *
 * @example
 * type Tx = PrismaTransaction<PrismaClient>; // Omit<PrismaClient, '$connect' | '$transaction' | ...>
 */
export type PrismaTransaction<P> = P extends {
  // biome-ignore lint/suspicious/noExplicitAny: matches Prisma's callback overload, its last
  $transaction(fn: (tx: infer T) => any, options?: any): any;
}
  ? T
  : never;

/** Options of {@link fromPrisma}. */
export interface FromPrismaOptions {
  /**
   * Your datasource's database: `'postgres'` (also PGlite), `'mysql'`, `'mariadb'` or
   * `'sqlite'`. Default: the client's own provider (`postgresql`, `mysql`, `sqlite`).
   */
  dialect?: DialectName;
  /**
   * The database has one connection, so the store queues its transactions in the process:
   * PGlite (`pglite-prisma-adapter`). Default: `true` for that adapter, else `false`.
   */
  serial?: boolean;
  /**
   * Prisma's interactive-transaction timeout: a delivery whose handlers run longer is rolled
   * back by Prisma (503, retried). Default 30,000 ms (Prisma's own is 5,000).
   */
  timeout?: number;
  /** Longest wait for a connection from Prisma's pool. Default 5,000 ms. */
  maxWait?: number;
}

/**
 * A bridge to a PrismaClient (Prisma 6 or 7; with Prisma 7, through its driver adapter:
 * `@prisma/adapter-pg`, `@prisma/adapter-mariadb`, `@prisma/adapter-libsql`,
 * `pglite-prisma-adapter`). Each delivery runs in an interactive `prisma.$transaction`, and
 * `ctx.tx` is its transaction client: write with `ctx.tx.order.update(...)` as anywhere else.
 * Never catch a failed query and go on inside it (a unique violation, P2002): on PostgreSQL
 * that aborts the transaction, and the store answers 503 rather than a false 200.
 *
 * @example
 * const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: process.env.DATABASE_URL }) });
 * const store = createSqlStore({ db: fromPrisma(prisma) }); // dialect from the client: postgres
 */
export function fromPrisma<P extends PrismaClientLike>(
  prisma: P,
  options: FromPrismaOptions = {},
): SqlBridge<PrismaTransaction<P>> {
  if (typeof (prisma as PrismaClientLike | null)?.$transaction !== 'function') {
    throw configError('fromPrisma needs a PrismaClient (new PrismaClient({ adapter })).');
  }
  // What the generated client says of itself (not a public API, so only a default).
  const own = prisma as { _activeProvider?: string; _engineConfig?: { adapter?: { adapterName?: string } } };
  const dialect = dialectFor('fromPrisma', options.dialect, own._activeProvider);
  const settings = { timeout: options.timeout ?? 30_000, maxWait: options.maxWait ?? 5_000 };
  return {
    name: 'Prisma',
    dialect,
    client: prisma,
    serial: options.serial ?? /pglite/i.test(own._engineConfig?.adapter?.adapterName ?? ''),
    transaction: (work) => prisma.$transaction(work, settings),
    async execute(tx, sql) {
      const client = tx as PrismaTransactionLike;
      if (answersRows(sql))
        return { rows: (await client.$queryRawUnsafe(sql)) as Record<string, unknown>[], affected: 0 };
      return { rows: [], affected: await client.$executeRawUnsafe(sql) };
    },
  };
}
