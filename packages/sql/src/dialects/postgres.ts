import type { Dialect, QuotedTable } from './dialect.js';

/**
 * `value` as a PostgreSQL string literal, safe whatever `standard_conforming_strings` says:
 * quotes and backslashes doubled, and `E'...'` when there is a backslash (what pg's own
 * `escapeLiteral` does). PostgreSQL refuses a NUL byte in text, and so does this.
 */
export function pgLiteral(value: string): string {
  if (value.includes('\0')) throw new TypeError('PostgreSQL text cannot hold a NUL character');
  const doubled = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${doubled.replace(/\\/g, '\\\\')}'` : `'${doubled}'`;
}

// An index lives in its table's schema: its name is never qualified. At most 63 bytes.
const index = (table: QuotedTable, suffix: string) => `"${`${table.bare}_${suffix}`.slice(0, 63)}"`;
const ids = (list: readonly string[]) => list.map((id) => String(BigInt(id))).join(', ');

/**
 * PostgreSQL (pg, PGlite, and every ORM on them). The claim sets the transaction's
 * `lock_timeout` in the same statement as the INSERT (`set_config(..., true)` is `SET LOCAL`):
 * a concurrent duplicate waits for the first one's transaction, up to the lock timeout,
 * without a round trip of its own; the handler's statements get the same bound.
 */
export const postgres: Dialect = {
  name: 'postgres',
  label: 'PostgreSQL',
  quote: (identifier) => `"${identifier}"`,
  key: pgLiteral,
  text: pgLiteral,
  deliveriesTable: (table) => [
    `CREATE TABLE IF NOT EXISTS ${table.sql} (\n` +
      '  dedupe_key text PRIMARY KEY,\n' +
      '  recorded_at timestamptz NOT NULL DEFAULT now()\n' +
      ')',
    `CREATE INDEX IF NOT EXISTS ${index(table, 'recorded_at')} ON ${table.sql} (recorded_at)`,
  ],
  beforeClaim: () => [],
  claim: (table, key, lockTimeoutMs) =>
    `INSERT INTO ${table.sql} (dedupe_key) SELECT ${pgLiteral(key)} ` +
    `FROM (SELECT set_config('lock_timeout', '${lockTimeoutMs}', true)) AS pasis_lock ` +
    'ON CONFLICT (dedupe_key) DO NOTHING',
  beforeEnd: [],
  held: (table, key) => `SELECT 1 AS held FROM ${table.sql} WHERE dedupe_key = ${pgLiteral(key)}`,
  // SKIP LOCKED: a row a claim holds is passed over, never waited for.
  prune: (table, retentionMs, batch) =>
    `DELETE FROM ${table.sql} WHERE dedupe_key IN (SELECT dedupe_key FROM ${table.sql} ` +
    `WHERE recorded_at < now() - interval '${retentionMs} milliseconds' ` +
    `ORDER BY recorded_at LIMIT ${batch} FOR UPDATE SKIP LOCKED)`,
  // lock_not_available (the lock timeout), deadlock_detected.
  lockFailures: new Set(['55P03', '40P01']),
  missingTable: /\b42P01\b/,
  serial: false,
  migrationLock: (table) =>
    `SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext(${pgLiteral(`@pasis/sql migrate ${table.name}`)}))`,
  outbox: {
    table: (table) => [
      `CREATE TABLE IF NOT EXISTS ${table.sql} (\n` +
        '  id bigserial PRIMARY KEY,\n' +
        '  topic text NOT NULL,\n' +
        '  payload text NOT NULL,\n' +
        '  attempts integer NOT NULL DEFAULT 0,\n' +
        '  created_at timestamptz NOT NULL DEFAULT now(),\n' +
        '  available_at timestamptz NOT NULL DEFAULT now()\n' +
        ')',
      `CREATE INDEX IF NOT EXISTS ${index(table, 'available_at')} ON ${table.sql} (available_at)`,
    ],
    insert: (table, topic, payload) =>
      `INSERT INTO ${table.sql} (topic, payload) VALUES (${pgLiteral(topic)}, ${pgLiteral(payload)})`,
    due: (table, batch, maxAttempts) =>
      `SELECT id::text AS id, topic, payload, attempts FROM ${table.sql} ` +
      `WHERE available_at <= now() AND attempts < ${maxAttempts} ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED`,
    lease: (table, list, leaseMs) =>
      `UPDATE ${table.sql} SET attempts = attempts + 1, available_at = now() + interval '${leaseMs} milliseconds' ` +
      `WHERE id IN (${ids(list)})`,
    retry: (table, id, delayMs) =>
      `UPDATE ${table.sql} SET available_at = now() + interval '${delayMs} milliseconds' WHERE id = ${ids([id])}`,
    remove: (table, id) => `DELETE FROM ${table.sql} WHERE id = ${ids([id])}`,
  },
  // One statement: a live row is left alone (not extended), an expired one taken over.
  reconcileLease: {
    table: (table) => [
      `CREATE TABLE IF NOT EXISTS ${table.sql} (\n` +
        '  session_id text PRIMARY KEY,\n' +
        '  expires_at timestamptz NOT NULL\n' +
        ')',
      `CREATE INDEX IF NOT EXISTS ${index(table, 'expires_at')} ON ${table.sql} (expires_at)`,
    ],
    claim: (table, list, leaseMs) => [
      `INSERT INTO ${table.sql} AS lease (session_id, expires_at) ` +
        `SELECT id, now() + interval '${leaseMs} milliseconds' ` +
        `FROM (VALUES ${list.map((id) => `(${pgLiteral(id)})`).join(', ')}) AS page (id) ORDER BY id ` +
        'ON CONFLICT (session_id) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE lease.expires_at <= now() ' +
        'RETURNING lease.session_id',
    ],
    sweep: (table, batch) =>
      `DELETE FROM ${table.sql} WHERE session_id IN (SELECT session_id FROM ${table.sql} ` +
      `WHERE expires_at <= now() ORDER BY expires_at LIMIT ${batch} FOR UPDATE SKIP LOCKED)`,
  },
};
