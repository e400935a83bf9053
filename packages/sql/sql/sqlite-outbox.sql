-- @pasis/sql outbox: effects written in a delivery's transaction, sent after it committed by
-- the outbox's worker. Idempotent; the same statements as the outbox's migrate().
CREATE TABLE IF NOT EXISTS "pasis_outbox" (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  topic TEXT NOT NULL,
  payload TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)),
  available_at INTEGER NOT NULL DEFAULT (CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER))
);

CREATE INDEX IF NOT EXISTS "pasis_outbox_available_at" ON "pasis_outbox" (available_at);
