/**
 * The data file's schema. `PRAGMA user_version` holds its version; `MIGRATIONS[n]` takes a
 * file from version n to n + 1, so a file made by any earlier release is brought up to date
 * and a file from a newer release is refused (never rewritten).
 */

/** The schema version this release writes and reads. */
export const SCHEMA_VERSION = 1;

/** The tables a version-1 file must have. */
export const TABLE_NAMES = ['apps', 'sessions', 'deliveries', 'attempts', 'idempotency_keys'] as const;

// Nested values (items, headers, the event) are JSON text; everything a filter or a restart
// needs (ids, status, state, next_retry_at) is a column of its own.
const V1 = `
CREATE TABLE apps (
  app_id TEXT PRIMARY KEY, name TEXT NOT NULL, callback_url TEXT NOT NULL, return_url TEXT NOT NULL,
  webhook_secret TEXT NOT NULL, verified INTEGER NOT NULL, approved_numbers TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE sessions (
  session_id TEXT PRIMARY KEY, app_id TEXT NOT NULL, email TEXT NOT NULL, items TEXT NOT NULL,
  amount INTEGER NOT NULL, status TEXT NOT NULL, payment_link TEXT NOT NULL, created_at TEXT NOT NULL,
  completed_at TEXT, phone TEXT
);
CREATE TABLE deliveries (
  id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, app_id TEXT NOT NULL, session_id TEXT NOT NULL,
  event TEXT NOT NULL, url TEXT NOT NULL, behaviour TEXT NOT NULL, delay_ms INTEGER,
  redelivery_of TEXT, state TEXT NOT NULL, next_retry_at TEXT, created_at TEXT NOT NULL
);
CREATE INDEX deliveries_by_session ON deliveries (session_id);
CREATE TABLE attempts (
  delivery_id TEXT NOT NULL REFERENCES deliveries (id), attempt INTEGER NOT NULL,
  reason TEXT NOT NULL, at TEXT NOT NULL, request TEXT NOT NULL, status_code INTEGER,
  response TEXT, error TEXT, duration_ms INTEGER NOT NULL,
  PRIMARY KEY (delivery_id, attempt)
);
CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, session_id TEXT NOT NULL
);
`;

/** `MIGRATIONS[n]` upgrades a file at version n; version 0 is a new, empty file. */
export const MIGRATIONS: readonly string[] = [V1];
