import type { SqlBridge } from '../bridge.js';
import type { DialectName } from '../dialects/index.js';
import { configError } from '../errors.js';
import { dialectFor, normalizeResult } from './results.js';

/** The part of a Knex instance the bridge uses. */
export interface KnexLike {
  // biome-ignore lint/suspicious/noExplicitAny: Knex's own signature
  transaction(scope: (trx: any) => Promise<any>): Promise<any>;
}

/** Knex's `Transaction`, as the instance's own `transaction` types it: what `ctx.tx` is. */
export type KnexTransaction<K> = K extends {
  // biome-ignore lint/suspicious/noExplicitAny: matches Knex's callback overload, its last
  transaction<T>(scope: (trx: infer X) => any, config?: any): Promise<T>;
}
  ? X
  : never;

/**
 * A bridge to a Knex instance (Knex 3; `pg` or `mysql2` clients). Each delivery runs in
 * `knex.transaction(...)`, and `ctx.tx` is its `Transaction`: `ctx.tx('orders').update(...)`.
 * The dialect is read from the Knex client; `dialect: 'mariadb'` may refine `mysql`.
 *
 * @example
 * const store = createSqlStore({ db: fromKnex(knex) });
 * on: { 'session:processed': (event, ctx) => ctx.tx('payments').insert({ session_id: event.session_id }) }
 */
export function fromKnex<K extends KnexLike>(
  knex: K,
  options: { dialect?: DialectName } = {},
): SqlBridge<KnexTransaction<K>> {
  // A Knex instance is a function with methods.
  const value: unknown = knex;
  if (typeof value !== 'function' || typeof (value as { transaction?: unknown }).transaction !== 'function') {
    throw configError("fromKnex needs a Knex instance (knex({ client: 'pg', connection })).");
  }
  const client = (knex as unknown as { client?: { dialect?: string; config?: { client?: unknown } } }).client;
  const named = typeof client?.config?.client === 'string' ? client.config.client : client?.dialect;
  return {
    name: 'Knex',
    dialect: dialectFor('fromKnex', options.dialect, named),
    client: knex,
    transaction: (work) => knex.transaction(work),
    async execute(trx, sql) {
      // Knex's raw() reads `?` as a binding: the store's statements have none, but a key may.
      return normalizeResult(
        await (trx as { raw(sql: string, bindings: never[]): Promise<unknown> }).raw(escapeBindings(sql), []),
      );
    },
  };
}

/** `sql` with every `?` written `\\?`, which Knex sends as a plain `?`. */
const escapeBindings = (sql: string) => sql.replace(/\?/g, '\\?');
