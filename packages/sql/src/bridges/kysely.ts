import type { SqlBridge } from '../bridge.js';
import type { DialectName } from '../dialects/index.js';
import { configError } from '../errors.js';
import { dialectFor, normalizeResult } from './results.js';

/** The part of a Kysely instance the bridge uses. */
export interface KyselyLike {
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own signature
  transaction(): { execute(fn: (trx: any) => Promise<any>): Promise<any> };
}

/** Kysely's `Transaction<DB>`, as the instance's own `transaction()` types it: what `ctx.tx` is. */
export type KyselyTransaction<K> = K extends {
  transaction(): { execute<T>(fn: (trx: infer X) => Promise<T>): Promise<T> };
}
  ? X
  : never;

let queries = 0;

/**
 * A bridge to a Kysely instance (0.27, 0.28). Each delivery runs in
 * `db.transaction().execute(...)`, and `ctx.tx` is its `Transaction<DB>`, typed with your
 * schema: `ctx.tx.updateTable('orders').set(...)`. Kysely does not say which database it
 * speaks, so `dialect` is required.
 *
 * @example
 * const store = createSqlStore({ db: fromKysely(db, { dialect: 'postgres' }) });
 */
export function fromKysely<K extends KyselyLike>(
  db: K,
  options: { dialect: DialectName },
): SqlBridge<KyselyTransaction<K>> {
  if (typeof (db as KyselyLike | null)?.transaction !== 'function') {
    throw configError('fromKysely needs a Kysely instance (new Kysely<DB>({ dialect })).');
  }
  return {
    name: 'Kysely',
    dialect: dialectFor('fromKysely', options?.dialect, undefined),
    client: db,
    transaction: (work) => db.transaction().execute(work),
    async execute(trx, sql) {
      // A compiled raw query, as Kysely's own `CompiledQuery.raw(sql)` builds it.
      const query = {
        sql,
        parameters: [],
        query: { kind: 'RawNode', sqlFragments: [sql], parameters: [] },
        queryId: { queryId: `pasis-${++queries}` },
      };
      return normalizeResult(
        await (trx as { executeQuery(query: unknown): Promise<unknown> }).executeQuery(query),
      );
    },
  };
}
