import { defaultLogger, type PasisLogger } from '@pasis/core';
import type { SqlBridge } from '../bridge.js';
import { Connection } from '../connection.js';
import { DEFAULT_OUTBOX_TABLE, dialectNamed, quoteTable } from '../dialects/index.js';
import { configError } from '../errors.js';
import { runMigration } from '../migrations.js';
import { checkBridge, checkLogger, integer, MAX_TIMER_MS, resolveOptions } from '../options.js';
import { type OutboxHandlers, OutboxWorker, type OutboxWorkerSettings } from './worker.js';

/** Payloads by topic: what `add` takes and the worker's handlers receive. Any JSON value. */
export type OutboxPayloads = Record<string, unknown>;

/**
 * Options of {@link createOutbox}. Every option is validated at construction.
 *
 * @example
 * createOutbox({ db: fromPrisma(prisma, { dialect: 'postgres' }), maxAttempts: 5 });
 */
export interface OutboxOptions<Tx> {
  /** Your database, through the same bridge as the store's. Required. */
  db: SqlBridge<Tx>;
  /** The outbox table, optionally qualified. Default `'pasis_outbox'`. */
  table?: string;
  /** Effects taken per round by the worker. Default 20. */
  batchSize?: number;
  /** How long a taken effect is reserved for its worker before another may take it (a crash mid-effect). Default 60,000 ms. */
  leaseMs?: number;
  /** Attempts before an effect is left in the table, no longer tried (and logged as an error). Default 10. */
  maxAttempts?: number;
  /** The first retry's delay; each next one doubles, up to an hour. Default 1,000 ms. */
  retryDelayMs?: number;
  /** Where failed effects are reported (with their error) by the worker. Default: core's `defaultLogger`. */
  logger?: PasisLogger;
}

/**
 * An outbox: effects that must not be lost (a receipt SMS, a message to another service)
 * written as rows in the delivery's own transaction with {@link Outbox.add}, so they exist
 * exactly when the payment does, and sent after the commit by a small worker
 * ({@link Outbox.start}, or {@link Outbox.drain} from your own scheduler). Delivery is at
 * least once: an effect whose worker died mid-way is taken again after `leaseMs`, so make
 * each one idempotent (the effect's `id` is a good idempotency key).
 *
 * @example
 * const outbox = createOutbox<{ 'receipt-sms': { orderId: number } }>({ db });
 * await outbox.migrate();
 * on: { 'session:processed': (event, ctx) => outbox.add(ctx.tx, 'receipt-sms', { orderId: 42 }) }
 * const worker = outbox.start({ 'receipt-sms': (payload, effect) => sms.send(payload.orderId, { idempotencyKey: effect.id }) });
 */
export interface Outbox<Payloads extends OutboxPayloads, Tx> {
  /** Writes one effect in `tx` (the delivery's `ctx.tx`): it commits, or rolls back, with the handler's writes. */
  add<Topic extends keyof Payloads & string>(tx: Tx, topic: Topic, payload: Payloads[Topic]): Promise<void>;
  /** Creates the outbox table when missing. Idempotent. */
  migrate(): Promise<void>;
  /** Runs every due effect once now (failures are retried later); answers how many succeeded. */
  drain(handlers: OutboxHandlers<Payloads>): Promise<number>;
  /** Drains every `intervalMs` (default 1,000) on an unref'd timer until `stop()`, which waits for the round in flight. */
  start(handlers: OutboxHandlers<Payloads>, options?: { intervalMs?: number }): { stop(): Promise<void> };
  /** The outbox table, as given (or the default). */
  readonly table: string;
}

/**
 * Creates an {@link Outbox} on `db`, the bridge the store uses. Run `outbox.migrate()` once
 * (or ship `migrationSql(dialect, { outboxTable })` with your migrations).
 *
 * @example
 * const outbox = createOutbox({ db: fromTypeORM(dataSource) });
 * const worker = outbox.start({ receipt: (payload) => mailer.send(payload) });
 * process.on('SIGTERM', () => worker.stop());
 */
export function createOutbox<Payloads extends OutboxPayloads = OutboxPayloads, Tx = unknown>(
  options: OutboxOptions<Tx>,
): Outbox<Payloads, Tx> {
  if (typeof options !== 'object' || options === null)
    throw configError('createOutbox needs options: { db }.');
  const bridge = checkBridge<Tx>(options.db);
  const dialect = dialectNamed(bridge.dialect, `the ${bridge.name} bridge`);
  const table = quoteTable(dialect, options.table ?? DEFAULT_OUTBOX_TABLE);
  const logger = checkLogger(options.logger ?? defaultLogger);
  const resolved = resolveOptions({ db: bridge });
  const connection = new Connection(bridge, { ...resolved, dialect, table, logger });
  const settings: OutboxWorkerSettings = {
    connection: connection as Connection<unknown>,
    statements: dialect.outbox,
    table,
    logger,
    batchSize: integer('batchSize', options.batchSize ?? 20, 1, 1_000),
    leaseMs: integer('leaseMs', options.leaseMs ?? 60_000, 1, MAX_TIMER_MS),
    maxAttempts: integer('maxAttempts', options.maxAttempts ?? 10, 1, 1_000),
    retryDelayMs: integer('retryDelayMs', options.retryDelayMs ?? 1_000, 1, MAX_TIMER_MS),
  };

  return {
    table: table.name,
    async add(tx, topic, payload) {
      if (typeof topic !== 'string' || topic.length === 0 || topic.length > 200) {
        throw configError('outbox.add: the topic must be a string of 1 to 200 characters.');
      }
      const json = JSON.stringify(payload);
      if (json === undefined) throw configError(`outbox.add: the payload of "${topic}" is not JSON.`);
      await bridge.execute(tx, dialect.outbox.insert(table, topic, json));
    },
    migrate: () =>
      runMigration(connection as Connection<unknown>, dialect, table, dialect.outbox.table(table)),
    drain: (handlers) => new OutboxWorker(settings, handlers).drain(),
    start(handlers, startOptions = {}) {
      const intervalMs = integer('intervalMs', startOptions.intervalMs ?? 1_000, 1, MAX_TIMER_MS);
      return new OutboxWorker(settings, handlers).start(intervalMs);
    },
  };
}
