import { pgAborted, type SqlBridge } from '../bridge.js';
import type { DialectName } from '../dialects/index.js';
import { configError } from '../errors.js';
import { dialectFor, normalizeResult } from './results.js';

/** The part of a TypeORM DataSource (or EntityManager) the bridge uses. */
export interface TypeORMLike {
  // biome-ignore lint/suspicious/noExplicitAny: TypeORM's own signature
  transaction(run: (manager: any) => Promise<any>): Promise<any>;
}

interface ManagerLike {
  queryRunner?: {
    query(sql: string, parameters: undefined, structured: true): Promise<unknown>;
    /** The driver's connection: pg's PoolClient on PostgreSQL. */
    databaseConnection?: unknown;
  };
  query(sql: string): Promise<unknown>;
}

/** TypeORM's `EntityManager`, as the DataSource's own `transaction` types it: what `ctx.tx` is. */
export type TypeORMTransaction<D> = D extends {
  // biome-ignore lint/suspicious/noExplicitAny: matches TypeORM's last overload, (isolation, run)
  transaction<T>(isolation: any, run: (manager: infer M) => Promise<T>): Promise<T>;
}
  ? M
  : never;

/**
 * A bridge to a TypeORM `DataSource` (or an `EntityManager`), TypeORM 0.3 or 1.x. Each
 * delivery runs in `dataSource.transaction(...)`, and `ctx.tx` is its `EntityManager`:
 * `ctx.tx.getRepository(Order).update(...)`, `ctx.tx.save(payment)`. The dialect is read
 * from the DataSource's `type` (`postgres`, `mysql`, `mariadb`, `sqljs`, `better-sqlite3`...);
 * `dialect: 'mariadb'` may refine `mysql`.
 *
 * @example
 * const store = createSqlStore({ db: fromTypeORM(dataSource) });
 * on: { 'session:processed': (event, ctx) => ctx.tx.getRepository(Payment).insert({ sessionId: event.session_id }) }
 */
export function fromTypeORM<D extends TypeORMLike>(
  dataSource: D,
  options: { dialect?: DialectName } = {},
): SqlBridge<TypeORMTransaction<D>> {
  if (typeof (dataSource as TypeORMLike | null)?.transaction !== 'function') {
    throw configError(
      'fromTypeORM needs a TypeORM DataSource (new DataSource({ type, ... })) or an EntityManager.',
    );
  }
  const source = dataSource as { options?: { type?: string }; connection?: { options?: { type?: string } } };
  const type = source.options?.type ?? source.connection?.options?.type;
  const dialect = dialectFor('fromTypeORM', options.dialect, type);
  return {
    name: 'TypeORM',
    dialect,
    client: dataSource,
    // sql.js is one in-memory database behind one query runner.
    serial: type === 'sqljs',
    transaction: (work) => dataSource.transaction(work),
    async execute(manager, sql) {
      const { queryRunner } = manager as ManagerLike;
      if (queryRunner === undefined) return normalizeResult(await (manager as ManagerLike).query(sql));
      // The structured answer says rows and affected rows alike on every driver.
      const result = (await queryRunner.query(sql, undefined, true)) as {
        records?: unknown;
        affected?: unknown;
      };
      return normalizeResult({ rows: result.records, rowCount: result.affected });
    },
    // On PostgreSQL, pg's own client says whether the transaction is still open.
    aborted: (manager) =>
      dialect === 'postgres'
        ? pgAborted((manager as ManagerLike).queryRunner?.databaseConnection)
        : undefined,
  };
}
