import type { Dialect, QuotedTable } from './dialect.js';

// SQLite has no backslash escapes: doubling quotes is enough, but a NUL would end the
// literal early, so such a value goes as UTF-8 hex.
const text = (value: string) =>
  value.includes('\0')
    ? `CAST(X'${Buffer.from(value, 'utf8').toString('hex')}' AS TEXT)`
    : `'${value.replace(/'/g, "''")}'`;
const ids = (list: readonly string[]) => list.map((id) => String(BigInt(id))).join(', ');
/** Now, in milliseconds since the epoch (`unixepoch('subsec')` needs SQLite 3.42). */
const NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
// In SQLite the index takes the schema, and its table is named without one.
const index = (table: QuotedTable, suffix: string) =>
  `${table.schema ? `${table.schema}.` : ''}"${table.bare}_${suffix}" ON "${table.bare}"`;

/**
 * SQLite (libSQL, sql.js, and the ORMs on them). One writer at a time: the store queues its
 * transactions in the process (a duplicate waits there, up to the lock timeout, for the
 * first one's commit), and another process writing the same file meets SQLite's own lock
 * (SQLITE_BUSY: answered 409 and retried).
 */
export const sqlite: Dialect = {
  name: 'sqlite',
  label: 'SQLite',
  quote: (identifier) => `"${identifier}"`,
  key: text,
  text,
  deliveriesTable: (table) => [
    `CREATE TABLE IF NOT EXISTS ${table.sql} (\n` +
      '  dedupe_key TEXT NOT NULL PRIMARY KEY,\n' +
      `  recorded_at INTEGER NOT NULL DEFAULT (${NOW_MS})\n` +
      ')',
    `CREATE INDEX IF NOT EXISTS ${index(table, 'recorded_at')} (recorded_at)`,
  ],
  beforeClaim: () => [],
  // RETURNING as well as the changes count: some ORMs' raw calls on SQLite (MikroORM's, Kysely's)
  // report the rows of a statement but not how many it changed.
  claim: (table, key) =>
    `INSERT OR IGNORE INTO ${table.sql} (dedupe_key) VALUES (${text(key)}) RETURNING 1 AS claimed`,
  beforeEnd: [],
  held: (table, key) => `SELECT 1 AS held FROM ${table.sql} WHERE dedupe_key = ${text(key)}`,
  prune: (table, retentionMs, batch) =>
    `DELETE FROM ${table.sql} WHERE dedupe_key IN (SELECT dedupe_key FROM ${table.sql} ` +
    `WHERE recorded_at < ${NOW_MS} - ${retentionMs} ORDER BY recorded_at LIMIT ${batch})`,
  lockFailures: new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT']),
  missingTable: /no such table/i,
  serial: true,
  outbox: {
    table: (table) => [
      `CREATE TABLE IF NOT EXISTS ${table.sql} (\n` +
        '  id INTEGER PRIMARY KEY AUTOINCREMENT,\n' +
        '  topic TEXT NOT NULL,\n' +
        '  payload TEXT NOT NULL,\n' +
        '  attempts INTEGER NOT NULL DEFAULT 0,\n' +
        `  created_at INTEGER NOT NULL DEFAULT (${NOW_MS}),\n` +
        `  available_at INTEGER NOT NULL DEFAULT (${NOW_MS})\n` +
        ')',
      `CREATE INDEX IF NOT EXISTS ${index(table, 'available_at')} (available_at)`,
    ],
    insert: (table, topic, payload) =>
      `INSERT INTO ${table.sql} (topic, payload) VALUES (${text(topic)}, ${text(payload)})`,
    // One writer: nothing to skip.
    due: (table, batch, maxAttempts) =>
      `SELECT CAST(id AS TEXT) AS id, topic, payload, attempts FROM ${table.sql} ` +
      `WHERE available_at <= ${NOW_MS} AND attempts < ${maxAttempts} ORDER BY id LIMIT ${batch}`,
    lease: (table, list, leaseMs) =>
      `UPDATE ${table.sql} SET attempts = attempts + 1, available_at = ${NOW_MS} + ${leaseMs} WHERE id IN (${ids(list)})`,
    retry: (table, id, delayMs) =>
      `UPDATE ${table.sql} SET available_at = ${NOW_MS} + ${delayMs} WHERE id = ${ids([id])}`,
    remove: (table, id) => `DELETE FROM ${table.sql} WHERE id = ${ids([id])}`,
  },
  // TEXT compares byte for byte (BINARY collation); expires_at in ms since the epoch.
  reconcileLease: {
    table: (table) => [
      `CREATE TABLE IF NOT EXISTS ${table.sql} (\n` +
        '  session_id TEXT NOT NULL PRIMARY KEY,\n' +
        '  expires_at INTEGER NOT NULL\n' +
        ')',
      `CREATE INDEX IF NOT EXISTS ${index(table, 'expires_at')} (expires_at)`,
    ],
    claim: (table, list, leaseMs) => [
      `INSERT INTO ${table.sql} (session_id, expires_at) VALUES ` +
        list.map((id) => `(${text(id)}, ${NOW_MS} + ${leaseMs})`).join(', ') +
        ` ON CONFLICT (session_id) DO UPDATE SET expires_at = excluded.expires_at WHERE expires_at <= ${NOW_MS} ` +
        'RETURNING session_id',
    ],
    sweep: (table, batch) =>
      `DELETE FROM ${table.sql} WHERE session_id IN (SELECT session_id FROM ${table.sql} ` +
      `WHERE expires_at <= ${NOW_MS} ORDER BY expires_at LIMIT ${batch})`,
  },
};
