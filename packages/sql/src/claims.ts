import { AsyncResource } from 'node:async_hooks';
import { PasisError } from '@pasis/core';
import type { ClaimResult } from '@pasis/core/adapter';
import type { SqlBridge } from './bridge.js';
import { type Connection, ENDED } from './connection.js';
import type { Dialect } from './dialects/index.js';
import { errorCodes } from './errors.js';
import { storedKey } from './keys.js';

type Decision = 'commit' | 'rollback';

interface OpenClaim<Tx> {
  key: string;
  tx: Tx;
  decide: (decision: Decision) => void;
  /** Settles once the ORM committed or rolled the transaction back. */
  finished: Promise<unknown>;
}

const COMPLETED = Object.freeze({ state: 'completed' }) as ClaimResult<never>;
const IN_PROGRESS = Object.freeze({ state: 'in_progress' }) as ClaimResult<never>;

/** Thrown inside a transaction whose record was gone before the commit. */
class Aborted extends Error {}

const abortedCommit = (cause: unknown) =>
  new PasisError(
    'store_unavailable',
    "@pasis/sql: nothing was kept: the delivery's transaction had failed before the commit (a statement in it " +
      'failed and the handler went on, or the database rolled it back). The delivery will be retried.',
    { cause },
  );

/**
 * The store's transactions, held open across core's claim → complete/release: a claim runs
 * `bridge.transaction(callback)`, and the callback records the key, hands the transaction
 * to the handlers, then waits for core's decision. Commit returns from the callback (after
 * checking the record is still in the transaction), rollback throws out of it: the ORM
 * commits or rolls back the way it always does.
 */
export class Claims<Tx> {
  readonly #open = new Map<string, OpenClaim<Tx>>();
  #sequence = 0;
  /** The dialect's statements before each claim: fixed by the lock timeout, built once. */
  readonly #beforeClaim: readonly string[];
  /** The check that commits too (see `Dialect.heldCommit`), when both the dialect and the bridge can. */
  readonly #heldCommit: Dialect['heldCommit'];

  constructor(
    private readonly bridge: SqlBridge<Tx>,
    private readonly connection: Connection<Tx>,
  ) {
    const { dialect, lockTimeoutMs } = connection.settings;
    this.#beforeClaim = dialect.beforeClaim(lockTimeoutMs);
    const commits = bridge.commitsInStatement === true && dialect.beforeEnd.length === 0;
    this.#heldCommit = commits ? dialect.heldCommit : undefined;
  }

  /**
   * Opens the claim's transaction; answers once the key is claimed, or why not. Not async:
   * that would wrap `answered` in one more promise, two more microtasks per delivery.
   */
  claim(key: string): Promise<ClaimResult<Tx>> {
    const { dialect, table, lockTimeoutMs, commandTimeoutMs } = this.connection.settings;
    const stored = storedKey(key);
    let decide!: (decision: Decision) => void;
    const decision = new Promise<Decision>((settle) => (decide = settle));
    let answer!: (result: ClaimResult<Tx> | PasisError) => boolean;
    const answered = new Promise<ClaimResult<Tx>>((resolve, reject) => {
      let open = true;
      answer = (result) => {
        if (!open) return false;
        open = false;
        if ('state' in result) resolve(result);
        else reject(result);
        return true;
      };
    });

    const finished = this.connection.transaction(
      async (tx, live) => {
        let affected = 0;
        try {
          // The claim may wait up to the lock timeout for a concurrent holder of the key.
          for (const sql of this.#beforeClaim) await live(sql, lockTimeoutMs + commandTimeoutMs);
          const result = await live(
            dialect.claim(table, stored, lockTimeoutMs),
            lockTimeoutMs + commandTimeoutMs,
          );
          affected = Math.max(result.affected, result.rows.length);
        } catch (error) {
          await this.connection.endStatements(tx);
          answer(
            this.connection.isLockFailure(error) ? IN_PROGRESS : this.connection.fail('claiming', error),
          );
          throw ENDED;
        }
        if (affected === 0) {
          await this.connection.endStatements(tx);
          answer(COMPLETED);
          throw ENDED;
        }
        const token = `${++this.#sequence}`;
        this.#open.set(token, { key, tx, decide, finished });
        // The handlers run in this callback's async context: where an ORM or nestjs-cls keeps
        // its active transaction (TransactionHost.tx, MikroORM's global em), they find this one.
        const scope = new AsyncResource('PasisSqlDelivery');
        const run = <T>(fn: () => T): T => scope.runInAsyncScope(fn);
        if (!answer({ state: 'claimed', token, tx, run } as ClaimResult<Tx>)) {
          this.#open.delete(token);
          throw ENDED;
        }
        const ending = await decision;
        if (ending === 'rollback') {
          await this.connection.endStatements(tx);
          throw ENDED;
        }
        // The commit must not be a silent rollback: ask the driver, else the database.
        const aborted = this.bridge.aborted?.(tx);
        if (aborted === true) throw new Aborted('the transaction was aborted before the commit');
        if (aborted === undefined) await this.#checkHeld(tx, stored);
        // No await (and no turn) when the dialect has nothing to send: the commit waits on it.
        const closing = this.connection.endStatements(tx);
        if (closing !== undefined) await closing;
      },
      (error) => answer(error),
    );
    return answered;
  }

  /**
   * Fails (rolling back) when the record is no longer in the transaction, or it cannot be
   * read. Where the check commits too, a failure other than the record being gone is the
   * commit's: it may have committed, so it is never said to have kept nothing.
   */
  async #checkHeld(tx: Tx, key: string): Promise<void> {
    const { dialect, table } = this.connection.settings;
    const heldCommit = this.#heldCommit;
    if (heldCommit !== undefined) {
      try {
        await this.bridge.execute(tx, heldCommit.sql(table, key));
      } catch (error) {
        if (errorCodes(error).some((code) => heldCommit.gone.has(code)))
          throw new Aborted('the record was rolled back before the commit', { cause: error });
        throw error;
      }
      return;
    }
    let rows: number;
    try {
      rows = (await this.bridge.execute(tx, dialect.held(table, key))).rows.length;
    } catch (error) {
      throw new Aborted('the transaction failed before the commit', { cause: error });
    }
    if (rows !== 1) throw new Aborted('the record was rolled back before the commit');
  }

  /** Commits the claim's transaction; rejects when nothing was kept (core answers 503). */
  async commit(key: string, token: string): Promise<void> {
    const claim = this.#take(key, token);
    if (claim === undefined) {
      throw new PasisError(
        'store_unavailable',
        '@pasis/sql: no open transaction for this claim: it was already committed or rolled back.',
      );
    }
    claim.decide('commit');
    try {
      await this.connection.bounded(claim.finished, 'the commit');
    } catch (error) {
      if (error instanceof Aborted) throw abortedCommit(error.cause);
      throw this.connection.fail('committing the delivery', error);
    }
  }

  /** Rolls the claim's transaction back (a claim already ended is left alone). */
  async rollback(key: string, token: string): Promise<void> {
    const claim = this.#take(key, token);
    if (claim === undefined) return;
    claim.decide('rollback');
    try {
      await this.connection.bounded(claim.finished, 'the rollback');
    } catch (error) {
      if (error !== ENDED) throw this.connection.fail('rolling back the delivery', error);
    }
  }

  #take(key: string, token: string): OpenClaim<Tx> | undefined {
    const claim = this.#open.get(token);
    if (claim === undefined || claim.key !== key) return undefined;
    this.#open.delete(token);
    return claim;
  }
}
