-- @pasis/sql: one row per handled webhook delivery, written in the same transaction as the
-- handler's own writes. Idempotent; the same statements as the store's migrate().
CREATE TABLE IF NOT EXISTS "pasis_webhook_deliveries" (
  dedupe_key TEXT NOT NULL PRIMARY KEY,
  recorded_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);

CREATE INDEX IF NOT EXISTS "pasis_webhook_deliveries_recorded_at" ON "pasis_webhook_deliveries" (recorded_at);
