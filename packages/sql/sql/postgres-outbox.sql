-- @pasis/sql outbox: effects written in a delivery's transaction, sent after it committed by
-- the outbox's worker. Idempotent; the same statements as the outbox's migrate().
CREATE TABLE IF NOT EXISTS "pasis_outbox" (
  id bigserial PRIMARY KEY,
  topic text NOT NULL,
  payload text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  available_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS "pasis_outbox_available_at" ON "pasis_outbox" (available_at);
