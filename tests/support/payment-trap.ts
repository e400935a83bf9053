import type { TestDatabase } from '../../packages/postgres/src/test-support/database.js';

type Pool = ReturnType<TestDatabase['pool']>;

/**
 * Where a delivery's transaction is held: `after-writes` once its payment row is written
 * (the order's status change and the dedupe record before it), before the handler returns;
 * `in-commit` inside its COMMIT, before PostgreSQL confirms it.
 */
export type TrapPoint = 'after-writes' | 'in-commit';

/** A delivery held at a point of its transaction, inside PostgreSQL. */
export interface PaymentTrap {
  /** Waits (bounded) until a transaction is held; answers its backend's pid. */
  held(): Promise<number>;
  /** Lets held transactions go on. */
  release(): Promise<void>;
  /** Releases, and removes the trigger and its function. */
  remove(): Promise<void>;
}

const LOCK = 4_242_001;

/**
 * Holds any transaction that writes a payment, at `point`, with a database-level trigger
 * added by the test, so that the shop runs exactly its production code: a trigger on
 * `payments` waits for an advisory lock the test holds (`lock_timeout` 0 inside it, so it
 * waits as long as the test wants). `after-writes` is a plain row trigger: it fires inside the
 * handler's INSERT. `in-commit` is a deferred constraint trigger: it fires during COMMIT, once
 * every statement has run, and the COMMIT completes only when released.
 */
export async function trapPayments(pool: Pool, point: TrapPoint): Promise<PaymentTrap> {
  const holder = await pool.connect(); // the session that holds the lock
  await holder.query('SELECT pg_advisory_lock($1)', [LOCK]);
  await pool.query(`CREATE OR REPLACE FUNCTION pasis_test_hold() RETURNS trigger LANGUAGE plpgsql
    SET lock_timeout = 0 AS $$ BEGIN PERFORM pg_advisory_xact_lock_shared(${LOCK}); RETURN NULL; END $$`);
  await pool.query(
    point === 'after-writes'
      ? 'CREATE TRIGGER pasis_test_hold AFTER INSERT ON payments FOR EACH ROW EXECUTE FUNCTION pasis_test_hold()'
      : `CREATE CONSTRAINT TRIGGER pasis_test_hold AFTER INSERT ON payments DEFERRABLE INITIALLY DEFERRED
         FOR EACH ROW EXECUTE FUNCTION pasis_test_hold()`,
  );
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await holder.query('SELECT pg_advisory_unlock($1)', [LOCK]);
    holder.release();
  };
  return {
    async held() {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const { rows } = await pool.query<{ pid: number; query: string }>(
          `SELECT pid, query FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event = 'advisory'`,
        );
        const row = rows[0];
        if (row) {
          // Held where it was meant to be: inside the payment's INSERT, or inside the COMMIT.
          const expected = point === 'after-writes' ? /INSERT INTO payments/ : /^COMMIT$/;
          if (!expected.test(row.query.trim())) throw new Error(`held in ${row.query}, not at ${point}`);
          return row.pid;
        }
        if (Date.now() > deadline) throw new Error(`no transaction was held at ${point} within 30 s`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    release,
    async remove() {
      await release();
      await pool.query('DROP TRIGGER IF EXISTS pasis_test_hold ON payments');
      await pool.query('DROP FUNCTION IF EXISTS pasis_test_hold()');
    },
  };
}
