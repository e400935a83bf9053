import { isPasisError, type PasisError, type PasisLogger } from '@pasis/core';
import type { ClaimResult } from '@pasis/core/adapter';
import type { ExecuteResult, SqlBridge } from './bridge.js';
import type { Dialect, QuotedTable } from './dialects/index.js';
import { errorCodes, storeError } from './errors.js';
import { SerialGate } from './serial-gate.js';

/** Thrown out of a transaction callback to have the ORM roll it back. Never seen outside. */
export const ENDED = new Error('@pasis/sql: the store rolled this transaction back');

/** The answer a claim gets without a transaction of its own. */
export const IN_PROGRESS = Object.freeze({ state: 'in_progress' }) as ClaimResult<never>;

/** What the store's connection layer needs of the validated options. */
export interface ConnectionSettings {
  dialect: Dialect;
  table: QuotedTable;
  lockTimeoutMs: number;
  commandTimeoutMs: number;
  logger: PasisLogger;
  /** What creates `table`, said when it is missing. Default: the store's `migrate()` and its file. */
  createdBy?: string;
}

/** Runs one statement in the transaction, failing after `ms`. */
export type Live = (sql: string, ms: number) => Promise<ExecuteResult>;

/**
 * `promise`, or a rejection once `ms` passed: a database that stops answering fails a step
 * (503, retried) rather than hanging a delivery. The promise keeps running; its rejection is
 * observed here so that it never goes unhandled.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  // Not Promise.race + finally: this runs for every statement, and those add four promises.
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * The store's way into the database through a bridge: every transaction it opens (claims,
 * pruning, migrations, the outbox) passes the serial gate where the database has one writer,
 * and every wait is bounded.
 */
export class Connection<Tx> {
  readonly #gate: SerialGate | undefined;
  readonly #noGate = () => {};

  constructor(
    readonly bridge: SqlBridge<Tx>,
    readonly settings: ConnectionSettings,
  ) {
    if (settings.dialect.serial || bridge.serial === true)
      this.#gate = SerialGate.of(bridge.client ?? bridge);
  }

  /**
   * Runs `work` in a new transaction, once through the gate (else `early(IN_PROGRESS)` after
   * the lock timeout) and once the ORM started it (else `early(<503>)` after the command
   * timeout; a transaction that starts after that rolls back at once). Answers the
   * transaction's promise, observed so that it never goes unhandled.
   */
  transaction(
    work: (tx: Tx, live: Live) => Promise<void>,
    early: (result: ClaimResult<never> | PasisError) => void,
  ): Promise<unknown> {
    const { lockTimeoutMs, commandTimeoutMs, dialect } = this.settings;
    const run = async () => {
      const leave = this.#gate ? await this.#gate.enter(lockTimeoutMs) : this.#noGate;
      if (leave === undefined) return early(IN_PROGRESS);
      let started = false;
      let gaveUp = false;
      const timer = setTimeout(() => {
        gaveUp = true;
        early(this.fail('starting a transaction', new Error(`none started within ${commandTimeoutMs} ms`)));
      }, commandTimeoutMs);
      try {
        return await this.bridge.transaction(async (tx) => {
          started = true;
          clearTimeout(timer);
          if (gaveUp) throw ENDED; // nobody waits for this one any more: keep nothing
          await work(tx, (sql, ms) => withTimeout(this.bridge.execute(tx, sql), ms, dialect.label));
        });
      } catch (error) {
        clearTimeout(timer);
        // SQLite's BEGIN IMMEDIATE meets another process's write lock: busy, not broken.
        if (!started)
          early(this.isLockFailure(error) ? IN_PROGRESS : this.fail('starting a transaction', error));
        throw error;
      } finally {
        leave();
      }
    };
    const finished = run();
    finished.catch(() => {});
    return finished;
  }

  /** Runs `statements` in one short transaction of their own; answers the last one's result. */
  run(statements: readonly string[], step: string): Promise<ExecuteResult> {
    return this.within(async (run) => {
      let last: ExecuteResult = { rows: [], affected: 0 };
      for (const sql of statements) last = await run(sql);
      return last;
    }, step);
  }

  /**
   * Runs `work` in one short transaction of its own (maintenance: migrations, pruning, the
   * outbox), each statement bounded by the command timeout; answers what `work` answered.
   * Fails with a `store_unavailable` error naming `step`.
   */
  within<T>(work: (run: (sql: string) => Promise<ExecuteResult>) => Promise<T>, step: string): Promise<T> {
    let result: T;
    return new Promise((resolve, reject) => {
      const finished = this.transaction(
        async (_tx, live) => {
          result = await work((sql) => live(sql, this.settings.commandTimeoutMs));
        },
        (early) => reject('state' in early ? this.fail(step, new Error('the database is busy')) : early),
      );
      finished.then(
        () => resolve(result),
        (error) => reject(this.fail(step, error)),
      );
    });
  }

  /**
   * Sends the dialect's closing statements (MySQL's session lock timeout back), never
   * failing; `undefined` (nothing to await, no turn spent) when the dialect has none.
   */
  endStatements(tx: Tx): Promise<void> | undefined {
    const statements = this.settings.dialect.beforeEnd;
    return statements.length === 0 ? undefined : this.#sendAll(tx, statements);
  }

  async #sendAll(tx: Tx, statements: readonly string[]): Promise<void> {
    for (const sql of statements) await this.bridge.execute(tx, sql).catch(() => {});
  }

  /** `promise`, bounded by the command timeout. */
  bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    return withTimeout(promise, this.settings.commandTimeoutMs, what);
  }

  /** Whether `error` is the database giving up waiting for another transaction's lock. */
  isLockFailure(error: unknown): boolean {
    return errorCodes(error).some((code) => this.settings.dialect.lockFailures.has(code));
  }

  /** A `store_unavailable` error for `step` (503), saying to migrate when the table is missing. */
  fail(step: string, error: unknown): PasisError<'store_unavailable'> {
    if (isPasisError(error, 'store_unavailable')) return error;
    const { dialect, table } = this.settings;
    const said = `${errorCodes(error).join(' ')} ${error instanceof Error ? error.message : ''}`;
    const hint = dialect.missingTable.test(said)
      ? ` The table ${table.name} is missing: run ${this.settings.createdBy ?? `the store's migrate() (or @pasis/sql/sql/${dialect.name}.sql)`} first.`
      : '';
    return storeError(`${step} (${this.bridge.name}, ${dialect.label})`, error, hint);
  }
}
