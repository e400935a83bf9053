import type { SqlBridge } from '../bridge.js';
import { configError } from '../errors.js';

/**
 * The part of nestjs-cls's `TransactionHost` the bridge uses (`@nestjs-cls/transactional`,
 * any adapter): `tx`, the active transaction, and `withTransaction`.
 */
export interface TransactionHostLike<Tx> {
  readonly tx: Tx;
  // biome-ignore lint/suspicious/noExplicitAny: nestjs-cls's own overloads
  withTransaction(propagation: any, fn: () => Promise<any>): Promise<any>;
  isTransactionActive(): boolean;
}

/**
 * A bridge that opens the store's transactions through nestjs-cls's `TransactionHost`, so
 * that the delivery's transaction is the app's ambient one: the handlers (`@OnPasisEvent`
 * methods, the reconciler's) run inside it, and everything they write through
 * `this.txHost.tx` or in a `@Transactional()` method commits with the dedupe record. `bridge`
 * is the bridge of the same client, for the dialect and the raw statements
 * (`fromPrisma(prisma)`, `fromTypeORM(dataSource)`, `fromKysely(db, ...)`...). Each delivery
 * gets a transaction of its own (`REQUIRES_NEW`), never one a caller had open.
 *
 * @example
 * PasisModule.forRootAsync({
 *   inject: [TransactionHost, PrismaService],
 *   useFactory: (txHost: TransactionHost<TransactionalAdapterPrisma<PrismaService>>, prisma: PrismaService) => ({
 *     webhook: { store: createSqlStore({ db: fromTransactionHost(txHost, fromPrisma(prisma)) }) },
 *   }),
 * });
 */
export function fromTransactionHost<Tx>(host: TransactionHostLike<Tx>, bridge: SqlBridge<Tx>): SqlBridge<Tx> {
  const value = host as Partial<TransactionHostLike<Tx>> | null | undefined;
  if (typeof value?.withTransaction !== 'function' || typeof value.isTransactionActive !== 'function') {
    throw configError(
      'fromTransactionHost needs the TransactionHost of @nestjs-cls/transactional (inject TransactionHost in forRootAsync).',
    );
  }
  if (typeof (bridge as Partial<SqlBridge<Tx>> | undefined)?.execute !== 'function') {
    throw configError(
      'fromTransactionHost needs the bridge of the same client as its second argument: fromPrisma(prisma), fromTypeORM(dataSource)...',
    );
  }
  return {
    name: `${bridge.name} through TransactionHost`,
    dialect: bridge.dialect,
    serial: bridge.serial,
    client: bridge.client ?? host,
    transactionHost: host,
    transaction: (work) => host.withTransaction('REQUIRES_NEW', () => work(host.tx)),
    execute: (tx, sql) => bridge.execute(tx, sql),
  };
}
