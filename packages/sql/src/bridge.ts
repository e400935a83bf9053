import type { DialectName } from './dialects/index.js';

/**
 * What one statement answered: its rows (a SELECT) and how many rows it inserted, updated
 * or deleted.
 *
 * @example
 * const { rows, affected } = await bridge.execute(tx, 'SELECT 1 AS one');
 */
export interface ExecuteResult {
  rows: Record<string, unknown>[];
  affected: number;
}

/**
 * How the store reaches your database: your own client, through the ORM or driver you
 * already use. A bridge opens transactions the way your app does (`prisma.$transaction`,
 * `dataSource.transaction`, `knex.transaction`...) and runs the store's few statements in
 * them; `Tx` is that ORM's own transaction object, which handlers get as `ctx.tx`.
 *
 * Made by `fromPrisma`, `fromTypeORM`, `fromKnex`, `fromKysely`, `fromDrizzle`,
 * `fromMikroORM`, `fromTransactionHost` (Nest), or for a driver `fromPg`, `fromPGlite`,
 * `fromMysql2`, `fromLibsql`. None imports its ORM: each only calls your client. Write your
 * own for anything else: these three members are all the store needs.
 *
 * @example
 * const bridge: SqlBridge<MyTx> = {
 *   name: 'my driver', dialect: 'postgres',
 *   transaction: (work) => db.transaction(work),
 *   execute: async (tx, sql) => { const r = await tx.query(sql); return { rows: r.rows, affected: r.rowCount ?? 0 }; },
 * };
 */
export interface SqlBridge<Tx> {
  /** Shown in messages, e.g. `'Prisma'`. */
  readonly name: string;
  /** The statements to send: `'postgres'`, `'mysql'`, `'mariadb'` or `'sqlite'`. */
  readonly dialect: DialectName;
  /**
   * Runs `work` in a new transaction: commits once it resolves, rolls back when it rejects
   * (with the rejection), and answers what `work` answered.
   */
  transaction<T>(work: (tx: Tx) => Promise<T>): Promise<T>;
  /** Runs one statement, which takes no parameters, in `tx`. */
  execute(tx: Tx, sql: string): Promise<ExecuteResult>;
  /**
   * The database has one connection (PGlite, sql.js): the store runs its transactions one
   * at a time, as SQLite's always are. Default `false`.
   */
  readonly serial?: boolean;
  /**
   * Your client (the PrismaClient, DataSource, pool...): the stores and outboxes built on
   * bridges to one client share one queue where the database takes one writer at a time.
   * Default: the bridge itself.
   */
  readonly client?: object;
  /**
   * Whether the database has already aborted or ended `tx`, when the driver can tell without
   * asking it (pg's `getTransactionStatus()`): `true` aborted, `false` still open,
   * `undefined` cannot tell. Before each commit the store must know (PostgreSQL turns the
   * COMMIT of an aborted transaction into a silent ROLLBACK); when the bridge cannot tell, it
   * reads its own record back in the transaction, which costs a round trip. Optional.
   */
  aborted?(tx: Tx): boolean | undefined;
  /**
   * The bridge sends no COMMIT when the store's last statement in the transaction already
   * committed it (the database says no transaction is open any more): the store may then
   * check its record and commit in one statement (MariaDB), a round trip less per delivery.
   * Only for a bridge whose transactions are never nested in another one: a savepoint's
   * COMMIT would end the outer transaction. Default `false`.
   */
  readonly commitsInStatement?: boolean;
  /** The ambient transaction manager the bridge opens its transactions through (nestjs-cls's TransactionHost), if any. */
  readonly transactionHost?: object;
}

/** The `Tx` of a bridge: what `ctx.tx` is for a store built on it. */
export type BridgeTransaction<B> = B extends SqlBridge<infer Tx> ? Tx : never;

/**
 * What a node-postgres client says of its transaction after the last statement (the
 * ReadyForQuery status, no round trip): `true` when aborted (`E`) or no longer open (`I`),
 * `false` while open (`T`), `undefined` for anything that does not say.
 *
 * @example
 * pgAborted(poolClient); // false inside a healthy transaction
 */
export function pgAborted(client: unknown): boolean | undefined {
  const pg = client as { getTransactionStatus?: () => unknown; readyForQuery?: unknown } | null | undefined;
  // pg rejects a failed query as soon as the error arrives, before the ReadyForQuery that
  // carries the new status: until that is in (or while a query the handler did not await
  // still runs), the status is stale, and the store asks the database instead.
  if (pg?.readyForQuery !== true) return undefined;
  const status = pg.getTransactionStatus?.();
  if (status === 'T') return false;
  return status === 'E' || status === 'I' ? true : undefined;
}

/** Rows affected, from whichever field a driver uses; never negative. */
export function affectedOf(...counts: unknown[]): number {
  for (const count of counts) {
    if (typeof count === 'number' && count >= 0) return count;
    if (typeof count === 'bigint' && count >= 0n) return Number(count);
  }
  return 0;
}

/** `rows` when it is an array of rows, else none. */
export function rowsOf(rows: unknown): Record<string, unknown>[] {
  return Array.isArray(rows) ? (rows as Record<string, unknown>[]) : [];
}
