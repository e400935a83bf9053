import type { PGliteLike, PGliteTransactionLike } from './database.js';
import { abortedCommit, COMPLETED, type Engine, IN_PROGRESS, noOpenClaim, OpenClaims } from './engine.js';
import { storeError } from './errors.js';
import type { EngineSettings } from './settings.js';
import { type OpenTransaction, openTransaction } from './transaction.js';

type Decision = 'commit' | 'rollback';

interface PGliteClaim<Client> {
  key: string;
  decide: (decision: Decision) => void;
  /** Settles once PGlite committed or rolled back the transaction. */
  finished: Promise<unknown>;
  open: OpenTransaction<Client>;
}

const SELF_WAIT_HINT =
  'If the handler queries the PGlite instance itself instead of ctx.tx, it waits for its own transaction forever: write through ctx.tx.';

/**
 * Claims on PGlite, which has one connection: its transactions run one after another, so a
 * claim holds `db.transaction(...)` open from claim to commit or rollback (the callback
 * awaits the decision). The wait for PGlite is bounded by the lock timeout (→
 * in_progress); a transaction that only starts after its claim gave up rolls back at once.
 * A claim of a key committed before answers completed.
 */
export function pgliteEngine<Client>(db: PGliteLike, settings: EngineSettings): Engine<Client> {
  const { lockTimeoutMs, statements, logger } = settings;
  const claims = new OpenClaims<PGliteClaim<Client>>();
  const fail = (step: string, error: unknown) => storeError(step, error, settings.table.name);

  /** Holds PGlite's transaction while the handler runs; warns when that starves others. */
  async function hold(tx: PGliteTransactionLike, key: string, decision: Promise<Decision>) {
    const watchdog = setTimeout(() => {
      logger.warn(
        `@pasis/postgres: a webhook handler has held PGlite's only connection for over ${lockTimeoutMs} ms; ` +
          `other deliveries are answered 409 meanwhile. ${SELF_WAIT_HINT}`,
        { key },
      );
    }, lockTimeoutMs);
    watchdog.unref?.();
    try {
      if ((await decision) === 'rollback') await tx.rollback();
    } finally {
      clearTimeout(watchdog);
    }
  }

  async function finish(key: string, token: string, decision: Decision) {
    const claim = claims.take(key, token);
    if (claim === undefined) {
      if (decision === 'commit') throw noOpenClaim();
      return;
    }
    claim.open.end();
    claim.decide(decision);
    try {
      await claim.finished;
    } catch (error) {
      if ((error as Error)?.name === 'TransactionAbortedError') throw abortedCommit();
      throw fail(decision === 'commit' ? 'committing the delivery' : 'rolling back the delivery', error);
    }
  }

  return {
    claim(key) {
      return new Promise((resolve, reject) => {
        let waiting = true;
        const timer = setTimeout(() => {
          waiting = false;
          resolve(IN_PROGRESS);
        }, lockTimeoutMs);
        let decide!: (decision: Decision) => void;
        const decision = new Promise<Decision>((settle) => (decide = settle));
        const finished: Promise<unknown> = db.transaction(async (tx) => {
          // Started only after the claim gave up: nobody waits for it, keep nothing.
          if (!waiting) return tx.rollback();
          waiting = false;
          clearTimeout(timer);
          let rows: unknown[];
          try {
            ({ rows } = await tx.query(statements.claim, [key]));
          } catch (error) {
            reject(fail('claiming the delivery', error));
            throw error; // PGlite rolls back
          }
          if (rows.length === 0) {
            resolve(COMPLETED);
            return tx.rollback();
          }
          const open = openTransaction(tx as Client, (sql, params) => tx.query(sql, params));
          const token = claims.add({ key, decide, finished, open });
          resolve({ state: 'claimed', token, tx: open.tx });
          return hold(tx, key, decision);
        });
        // Observed here so it never goes unhandled; complete/release await it themselves.
        finished.catch((error: unknown) => {
          if (!waiting) return;
          // PGlite failed before the callback ran (closed, not ready).
          waiting = false;
          clearTimeout(timer);
          reject(fail('claiming the delivery', error));
        });
      });
    },

    commit: (key, token) => finish(key, token, 'commit'),
    rollback: (key, token) => finish(key, token, 'rollback'),

    async run(steps) {
      try {
        return await db.transaction(async (tx) => {
          let rows: unknown[] = [];
          for (const step of steps) rows = (await tx.query(step.sql, step.params)).rows;
          return rows;
        });
      } catch (error) {
        throw fail('a maintenance statement', error);
      }
    },
  };
}
