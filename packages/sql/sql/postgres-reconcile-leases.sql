-- @pasis/sql reconcile lease: one row per pending session an instance of the fleet is
-- checking (until expires_at). Idempotent; the same statements as the lease's migrate().
CREATE TABLE IF NOT EXISTS "pasis_reconcile_leases" (
  session_id text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS "pasis_reconcile_leases_expires_at" ON "pasis_reconcile_leases" (expires_at);
