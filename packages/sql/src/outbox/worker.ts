import type { PasisLogger } from '@pasis/core';
import type { Connection } from '../connection.js';
import type { OutboxStatements, QuotedTable } from '../dialects/index.js';
import { configError } from '../errors.js';

/** What a handler learns about the effect besides its payload. */
export interface OutboxEffect {
  /** The row's id: stable across retries, a good idempotency key for the provider. */
  id: string;
  topic: string;
  /** 1 for the first try. */
  attempt: number;
}

/**
 * One handler per topic: throwing (or rejecting) retries the effect later.
 *
 * @example
 * { 'receipt-sms': (payload, effect) => sms.send(payload.phone, text, { idempotencyKey: effect.id }) }
 */
export type OutboxHandlers<Payloads extends Record<string, unknown>> = {
  [Topic in keyof Payloads]?: (payload: Payloads[Topic], effect: OutboxEffect) => unknown;
};

/** What the worker needs of the outbox. */
export interface OutboxWorkerSettings {
  connection: Connection<unknown>;
  statements: OutboxStatements;
  table: QuotedTable;
  logger: PasisLogger;
  batchSize: number;
  leaseMs: number;
  maxAttempts: number;
  retryDelayMs: number;
}

interface Row {
  id: string;
  topic: string;
  payload: string;
  attempts: number;
}

const MAX_RETRY_DELAY_MS = 3_600_000;

/**
 * Takes due effects in batches (locked, or skipped while another worker holds them, where
 * the database can), leases them for `leaseMs` in the same short transaction, runs each
 * handler outside any transaction, then deletes the row or puts it back for a retry with a
 * doubling delay. Rounds never overlap.
 */
export class OutboxWorker<Payloads extends Record<string, unknown>> {
  #running: Promise<number> | undefined;

  constructor(
    private readonly settings: OutboxWorkerSettings,
    private readonly handlers: OutboxHandlers<Payloads>,
  ) {
    if (typeof handlers !== 'object' || handlers === null) {
      throw configError('the outbox worker needs handlers: { [topic]: (payload, effect) => ... }.');
    }
  }

  drain(): Promise<number> {
    this.#running ??= this.#drain().finally(() => (this.#running = undefined));
    return this.#running;
  }

  start(intervalMs: number): { stop(): Promise<void> } {
    let failing = false;
    const tick = () =>
      void this.drain().then(
        () => (failing = false),
        (error: unknown) => {
          // One line per outage, not one per tick.
          if (!failing)
            this.settings.logger.warn('@pasis/sql: the outbox worker cannot reach the database', { error });
          failing = true;
        },
      );
    const timer = setInterval(tick, intervalMs);
    timer.unref?.();
    tick();
    return {
      stop: async () => {
        clearInterval(timer);
        await this.#running?.catch(() => {});
      },
    };
  }

  async #drain(): Promise<number> {
    let done = 0;
    for (;;) {
      const rows = await this.#take();
      for (const row of rows) if (await this.#run(row)) done++;
      if (rows.length < this.settings.batchSize) return done;
    }
  }

  /** Takes and leases one batch of due effects, in one short transaction. */
  #take(): Promise<Row[]> {
    const { connection, statements, table, batchSize, maxAttempts, leaseMs } = this.settings;
    return connection.within(async (run) => {
      const { rows } = await run(statements.due(table, batchSize, maxAttempts));
      const taken = rows.map((row) => ({
        id: String(row.id),
        topic: String(row.topic),
        payload: String(row.payload),
        attempts: Number(row.attempts) + 1,
      }));
      if (taken.length > 0)
        await run(
          statements.lease(
            table,
            taken.map((row) => row.id),
            leaseMs,
          ),
        );
      return taken;
    }, 'taking outbox effects');
  }

  /** Runs one effect; answers whether it succeeded (its row is then gone). */
  async #run(row: Row): Promise<boolean> {
    const { connection, statements, table, logger, maxAttempts, retryDelayMs } = this.settings;
    const handler = this.handlers[row.topic as keyof Payloads];
    try {
      if (handler === undefined) throw new Error(`no outbox handler for the topic "${row.topic}"`);
      await handler(JSON.parse(row.payload) as Payloads[keyof Payloads], {
        id: row.id,
        topic: row.topic,
        attempt: row.attempts,
      });
    } catch (error) {
      const last = row.attempts >= maxAttempts;
      logger.error(
        last
          ? `@pasis/sql: the outbox effect ${row.topic} #${row.id} failed ${row.attempts} times; it stays in ${table.name}, no longer tried`
          : `@pasis/sql: the outbox effect ${row.topic} #${row.id} failed (attempt ${row.attempts}); it will be retried`,
        { id: row.id, topic: row.topic, attempt: row.attempts, error },
      );
      if (!last) {
        const delay = Math.min(retryDelayMs * 2 ** (row.attempts - 1), MAX_RETRY_DELAY_MS);
        // When this fails the lease runs out by itself, and the effect is tried again then.
        await connection
          .run([statements.retry(table, row.id, delay)], 'rescheduling an outbox effect')
          .catch((failure: unknown) =>
            logger.debug('@pasis/sql: could not reschedule an outbox effect', { error: failure }),
          );
      }
      return false;
    }
    // A failure here sends the effect again after the lease: at least once, never lost.
    await connection.run([statements.remove(table, row.id)], 'removing a sent outbox effect');
    return true;
  }
}
