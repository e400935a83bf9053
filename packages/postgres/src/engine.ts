import { PasisError } from '@pasis/core';
import type { ClaimResult } from '@pasis/core/adapter';
import type { PostgresTransaction } from './transaction.js';

/**
 * One way of running claims on a database (a `pg` Pool, PGlite): the store's part that
 * differs between them. Tokens name open transactions; every method rejects with a
 * `store_unavailable` PasisError when the database fails.
 */
export interface Engine<Client> {
  claim(key: string): Promise<ClaimResult<PostgresTransaction<Client>>>;
  /** Commits the claim's transaction. Rejects when nothing was kept (core answers 503). */
  commit(key: string, token: string): Promise<void>;
  /** Rolls the claim's transaction back. */
  rollback(key: string, token: string): Promise<void>;
  /** Runs `statements` in one short transaction of their own, answering the last one's rows. */
  run(statements: readonly { sql: string; params?: unknown[] }[]): Promise<unknown[]>;
}

/** The answers that carry no transaction, shared by every claim. */
export const COMPLETED = Object.freeze({ state: 'completed' }) as ClaimResult<never>;
export const IN_PROGRESS = Object.freeze({ state: 'in_progress' }) as ClaimResult<never>;

/** SQLSTATE of "canceling statement due to lock timeout". */
export const LOCK_NOT_AVAILABLE = '55P03';

/**
 * The open transactions of one engine, by token. A token is a counter: it only tells this
 * store's own claims apart, nothing outside the process can use one.
 */
export class OpenClaims<T extends { key: string }> {
  readonly #open = new Map<string, T>();
  #sequence = 0;

  add(entry: T): string {
    const token = `${++this.#sequence}`;
    this.#open.set(token, entry);
    return token;
  }

  /** Removes and returns the claim `token` holds on `key`, or undefined (already ended). */
  take(key: string, token: string): T | undefined {
    const entry = this.#open.get(token);
    if (entry === undefined || entry.key !== key) return undefined;
    this.#open.delete(token);
    return entry;
  }
}

/** No open transaction for a token: it was already committed or rolled back. */
export const noOpenClaim = () =>
  new PasisError(
    'store_unavailable',
    '@pasis/postgres: no open transaction for this claim: it was already committed or rolled back.',
  );

/** What COMMIT of a transaction in which a statement failed answers: PostgreSQL rolled it back. */
export const abortedCommit = () =>
  new PasisError(
    'store_unavailable',
    '@pasis/postgres: nothing was kept: a statement in the transaction failed and the handler went on, so ' +
      'PostgreSQL rolled the transaction back at COMMIT. The delivery will be retried.',
  );
