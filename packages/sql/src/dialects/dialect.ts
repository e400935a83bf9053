/**
 * What differs between the databases, as data: every statement the store and the outbox
 * send, written once per database in `postgres.ts`, `mysql.ts` and `sqlite.ts`. The store
 * itself is one piece of code for all of them.
 *
 * No statement takes parameters: keys and payloads are written as literals that cannot
 * break out of their quotes (hex on MySQL and SQLite, escaped on PostgreSQL), numbers are
 * validated integers. That is what lets every ORM run them through its plainest raw-SQL
 * call, Drizzle's `execute(string)` included.
 */

/** The databases the store speaks. `mariadb` is `mysql` with one statement less per claim. */
export type DialectName = 'postgres' | 'mysql' | 'mariadb' | 'sqlite';

/** A validated table name, quoted for one dialect. */
export interface QuotedTable {
  /** As given, e.g. `'billing.pasis_webhook_deliveries'`. */
  name: string;
  /** Quoted and qualified: `"billing"."pasis_webhook_deliveries"`. */
  sql: string;
  /** The schema (or database) part, quoted, when one was given. */
  schema: string | undefined;
  /** The table part alone, unquoted. */
  bare: string;
}

/** The statements of one database. */
export interface Dialect {
  readonly name: DialectName;
  /** Shown in messages: `PostgreSQL`, `MySQL`, `MariaDB`, `SQLite`. */
  readonly label: string;
  /** Quotes one identifier (already validated as `[a-z_][a-z0-9_]*`). */
  quote(identifier: string): string;
  /** A dedupe key as a literal of the key column's type. */
  key(value: string): string;
  /** A UTF-8 string as a literal of a text column. */
  text(value: string): string;
  /** Creates the dedupe table and its index; each statement idempotent. */
  deliveriesTable(table: QuotedTable): string[];
  /** Sent in the claim's transaction before `claim` (a lock timeout that needs its own statement). */
  beforeClaim(lockTimeoutMs: number): string[];
  /** Records the key without ever failing on a duplicate: a row affected (or returned) means this claim took it. */
  claim(table: QuotedTable, key: string, lockTimeoutMs: number): string;
  /** Sent last in the claim's transaction, whichever way it ends (undoes `beforeClaim`). */
  readonly beforeEnd: readonly string[];
  /** One row while the claim's record is still in its transaction: checked before the commit. */
  held(table: QuotedTable, key: string): string;
  /**
   * `held` and the commit in one statement, where the database can (MariaDB's compound
   * statement): commits while the transaction is open and holds the record, else fails with
   * one of `gone`'s codes. A round trip less per delivery, used only with a bridge that then
   * sends no COMMIT of its own (`SqlBridge.commitsInStatement`), and only where `beforeEnd`
   * is empty (nothing may follow the commit).
   */
  readonly heldCommit?: { sql(table: QuotedTable, key: string): string; gone: ReadonlySet<string> };
  /** Deletes at most `batch` keys older than `retentionMs`; answers the rows affected. */
  prune(table: QuotedTable, retentionMs: number, batch: number): string;
  /** Error codes that mean "gave up waiting for another transaction": answered 409, retried. */
  readonly lockFailures: ReadonlySet<string>;
  /** Matches the error codes and message of a statement on a missing table (run `migrate()`). */
  readonly missingTable: RegExp;
  /** One writer at a time (SQLite): the store queues its transactions in the process. */
  readonly serial: boolean;
  /** Serialises concurrent migrations, in their transaction, where DDL is transactional. */
  migrationLock?(table: QuotedTable): string;
  /** The outbox's statements (see `outbox/`). */
  readonly outbox: OutboxStatements;
  /** The reconcile lease's statements (see `reconcile-lease.ts`). */
  readonly reconcileLease: ReconcileLeaseStatements;
}

/**
 * The reconcile lease's statements of one database. Session ids arrive as stored keys
 * (`storedKey`), distinct, sorted (so concurrent claims lock rows in one order).
 */
export interface ReconcileLeaseStatements {
  table(table: QuotedTable): string[];
  /**
   * Takes the ids nobody holds (or whose lease ran out) for `leaseMs` and leaves live ones
   * alone, as `owner` (unique to this claim); sent in one short transaction, the last
   * statement answers the ids taken as `session_id` (text) or `session_hex` (hex of the bytes).
   */
  claim(table: QuotedTable, ids: readonly string[], leaseMs: number, owner: string): string[];
  /** Deletes at most `batch` expired rows (an expired row and none mean the same: free). */
  sweep(table: QuotedTable, batch: number): string;
}

/** The outbox's statements of one database. */
export interface OutboxStatements {
  table(table: QuotedTable): string[];
  /** Adds one effect, due now. */
  insert(table: QuotedTable, topic: string, payload: string): string;
  /** Due effects (id, topic, payload, attempts), oldest first, locked or skipped where the database can. */
  due(table: QuotedTable, batch: number, maxAttempts: number): string;
  /** Leases the rows `ids` for `leaseMs` and counts an attempt. */
  lease(table: QuotedTable, ids: readonly string[], leaseMs: number): string;
  /** Puts a failed effect back, due again in `delayMs`. */
  retry(table: QuotedTable, id: string, delayMs: number): string;
  remove(table: QuotedTable, id: string): string;
}
