import type { SqlBridge } from '../bridge.js';
import type { DialectName } from '../dialects/index.js';
import { configError } from '../errors.js';
import { answersRows, dialectFor, normalizeResult } from './results.js';

/** The part of a MikroORM EntityManager the bridge uses. */
export interface MikroEntityManagerLike {
  // biome-ignore lint/suspicious/noExplicitAny: MikroORM's own signature
  transactional(fn: (em: any) => Promise<any>): Promise<any>;
}

interface MikroTxLike {
  getConnection(): {
    execute(sql: string, params: [], method: 'all' | 'run', ctx: unknown): Promise<unknown>;
  };
  getTransactionContext(): unknown;
}

/** The EntityManager a transaction runs in (a fork of yours): what `ctx.tx` is. */
export type MikroORMTransaction<E> = E extends {
  // biome-ignore lint/suspicious/noExplicitAny: matches any result type
  transactional<T>(fn: (em: infer X) => Promise<T>, options?: any): Promise<T>;
}
  ? X
  : never;

/**
 * A bridge to MikroORM 6 (its SQL drivers: PostgreSQL, MySQL/MariaDB, SQLite/libSQL). Pass
 * `orm.em` (a global one; the bridge never uses it outside `transactional`). Each delivery
 * runs in `em.transactional(...)`, and `ctx.tx` is the transaction's EntityManager:
 * `ctx.tx.persist(payment)`, flushed by MikroORM before the commit. `dialect` is required.
 *
 * @example
 * const orm = await MikroORM.init(config);
 * const store = createSqlStore({ db: fromMikroORM(orm.em, { dialect: 'postgres' }) });
 */
export function fromMikroORM<E extends MikroEntityManagerLike>(
  em: E,
  options: { dialect: DialectName },
): SqlBridge<MikroORMTransaction<E>> {
  if (typeof (em as MikroEntityManagerLike | null)?.transactional !== 'function') {
    throw configError('fromMikroORM needs an EntityManager (orm.em from MikroORM.init(...)).');
  }
  return {
    name: 'MikroORM',
    dialect: dialectFor('fromMikroORM', options?.dialect, undefined),
    client: em,
    transaction: (work) => em.transactional(work),
    async execute(tx, sql) {
      const fork = tx as MikroTxLike;
      const method = answersRows(sql) ? 'all' : 'run';
      return normalizeResult(
        await fork.getConnection().execute(sql, [], method, fork.getTransactionContext()),
      );
    },
  };
}
