import type { Dialect, QuotedTable } from './dialect.js';

const hex = (value: string) => `X'${Buffer.from(value, 'utf8').toString('hex')}'`;
const text = (value: string) => `CONVERT(${hex(value)} USING utf8mb4)`;
const ids = (list: readonly string[]) => list.map((id) => String(BigInt(id))).join(', ');
const index = (table: QuotedTable, suffix: string) => `\`${`${table.bare}_${suffix}`.slice(0, 64)}\``;
// innodb_lock_wait_timeout counts whole seconds, at least one.
const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * MySQL 8 and MariaDB (mysql2, and every ORM on them), InnoDB. The key is `VARBINARY`, so
 * it compares byte for byte (a text column would fold case, and pad trailing spaces). A
 * concurrent `INSERT IGNORE` of a key another transaction has not committed waits for that
 * transaction: after its commit it is ignored (0 rows), after its rollback it inserts.
 * `innodb_lock_wait_timeout` bounds the wait, in whole seconds; MySQL has no per-statement
 * form, so the claim sets it for the session and puts the session's own value back before
 * the transaction ends.
 */
export const mysql: Dialect = {
  name: 'mysql',
  label: 'MySQL',
  quote: (identifier) => `\`${identifier}\``,
  key: hex,
  text,
  deliveriesTable: (table) => [
    `CREATE TABLE IF NOT EXISTS ${table.sql} (\n` +
      '  dedupe_key VARBINARY(255) NOT NULL PRIMARY KEY,\n' +
      '  recorded_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n' +
      `  KEY ${index(table, 'recorded_at')} (recorded_at)\n` +
      ') ENGINE=InnoDB',
  ],
  beforeClaim: (lockTimeoutMs) => [
    `SET @pasis_lock_wait = @@SESSION.innodb_lock_wait_timeout, SESSION innodb_lock_wait_timeout = ${seconds(lockTimeoutMs)}`,
  ],
  claim: (table, key) => `INSERT IGNORE INTO ${table.sql} (dedupe_key) VALUES (${hex(key)})`,
  beforeEnd: ['SET SESSION innodb_lock_wait_timeout = @pasis_lock_wait'],
  held: (table, key) => `SELECT 1 AS held FROM ${table.sql} WHERE dedupe_key = ${hex(key)}`,
  prune: (table, retentionMs, batch) =>
    `DELETE FROM ${table.sql} WHERE recorded_at < NOW(3) - INTERVAL ${retentionMs * 1000} MICROSECOND ` +
    `ORDER BY recorded_at LIMIT ${batch}`,
  // ER_LOCK_WAIT_TIMEOUT, ER_LOCK_DEADLOCK (InnoDB then rolled the whole transaction back).
  lockFailures: new Set(['1205', 'ER_LOCK_WAIT_TIMEOUT', '1213', 'ER_LOCK_DEADLOCK']),
  missingTable: /\b(1146|ER_NO_SUCH_TABLE)\b/,
  serial: false,
  outbox: {
    table: (table) => [
      `CREATE TABLE IF NOT EXISTS ${table.sql} (\n` +
        '  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,\n' +
        '  topic VARCHAR(200) NOT NULL,\n' +
        '  payload LONGTEXT NOT NULL,\n' +
        '  attempts INT NOT NULL DEFAULT 0,\n' +
        '  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n' +
        '  available_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),\n' +
        `  KEY ${index(table, 'available_at')} (available_at)\n` +
        ') ENGINE=InnoDB',
    ],
    insert: (table, topic, payload) =>
      `INSERT INTO ${table.sql} (topic, payload) VALUES (${text(topic)}, ${text(payload)})`,
    due: (table, batch, maxAttempts) =>
      `SELECT CAST(id AS CHAR) AS id, topic, payload, attempts FROM ${table.sql} ` +
      `WHERE available_at <= NOW(3) AND attempts < ${maxAttempts} ORDER BY id LIMIT ${batch} FOR UPDATE SKIP LOCKED`,
    lease: (table, list, leaseMs) =>
      `UPDATE ${table.sql} SET attempts = attempts + 1, available_at = NOW(3) + INTERVAL ${leaseMs * 1000} MICROSECOND ` +
      `WHERE id IN (${ids(list)})`,
    retry: (table, id, delayMs) =>
      `UPDATE ${table.sql} SET available_at = NOW(3) + INTERVAL ${delayMs * 1000} MICROSECOND WHERE id = ${ids([id])}`,
    remove: (table, id) => `DELETE FROM ${table.sql} WHERE id = ${ids([id])}`,
  },
  // No RETURNING with ON DUPLICATE KEY UPDATE: each row takes this claim's owner token only
  // when it was free or expired (owner is assigned before expires_at, so both read the old
  // expires_at), then the rows carrying the token are the ids granted.
  reconcileLease: {
    table: (table) => [
      `CREATE TABLE IF NOT EXISTS ${table.sql} (\n` +
        '  session_id VARBINARY(255) NOT NULL PRIMARY KEY,\n' +
        '  owner VARBINARY(64) NOT NULL,\n' +
        '  expires_at DATETIME(3) NOT NULL,\n' +
        `  KEY ${index(table, 'expires_at')} (expires_at)\n` +
        ') ENGINE=InnoDB',
    ],
    claim: (table, list, leaseMs, owner) => [
      `INSERT INTO ${table.sql} (session_id, owner, expires_at) VALUES ` +
        list
          .map((id) => `(${hex(id)}, ${hex(owner)}, NOW(3) + INTERVAL ${leaseMs * 1000} MICROSECOND)`)
          .join(', ') +
        ' ON DUPLICATE KEY UPDATE owner = IF(expires_at <= NOW(3), VALUES(owner), owner), ' +
        'expires_at = IF(expires_at <= NOW(3), VALUES(expires_at), expires_at)',
      `SELECT HEX(session_id) AS session_hex FROM ${table.sql} ` +
        `WHERE owner = ${hex(owner)} AND session_id IN (${list.map(hex).join(', ')})`,
    ],
    sweep: (table, batch) =>
      `DELETE FROM ${table.sql} WHERE expires_at <= NOW(3) ORDER BY expires_at LIMIT ${batch}`,
  },
};

/**
 * MariaDB only: the lock timeout rides on the claim itself (`SET STATEMENT ... FOR`), one
 * round trip instead of three, and the session keeps its own value throughout; and the
 * check before the commit is the commit (`BEGIN NOT ATOMIC`). `@@in_transaction` is read
 * too: after a deadlock InnoDB has rolled the whole transaction back, and the record a
 * concurrent duplicate committed since would pass the SELECT alone.
 */
export const mariadb: Dialect = {
  ...mysql,
  name: 'mariadb',
  label: 'MariaDB',
  beforeClaim: () => [],
  claim: (table, key, lockTimeoutMs) =>
    `SET STATEMENT innodb_lock_wait_timeout = ${seconds(lockTimeoutMs)} FOR ${mysql.claim(table, key, lockTimeoutMs)}`,
  beforeEnd: [],
  // No row once InnoDB rolled the transaction back (a deadlock): the SELECT alone would then
  // read a record a concurrent duplicate committed since.
  held: (table, key) => `${mysql.held(table, key)} AND @@in_transaction = 1`,
  heldCommit: {
    sql: (table, key) =>
      `BEGIN NOT ATOMIC IF @@in_transaction = 0 OR NOT EXISTS (${mysql.held(table, key)}) THEN ` +
      "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'the claim''s record is no longer in its transaction'; " +
      'END IF; COMMIT; END',
    // ER_SIGNAL_EXCEPTION: the SIGNAL above.
    gone: new Set(['1644', 'ER_SIGNAL_EXCEPTION']),
  },
};
