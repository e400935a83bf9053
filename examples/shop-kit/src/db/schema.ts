/**
 * The shop's tables, created on start. Idempotent, and safe from several processes starting
 * at once: an advisory lock queues them (two concurrent `CREATE TABLE IF NOT EXISTS` can
 * otherwise both try to create the table). A real shop would keep this in its migrations;
 * the webhook store's own table is created by `@pasis/postgres`'s `migrate()`.
 *
 * - `orders.status` is the order's state machine; the only writes that change it are
 *   conditional `UPDATE … WHERE status = 'pending'` statements (see `orders/settle.ts`).
 * - `payments` is the ledger: at most one row per order (its primary key), written in the
 *   same transaction as the order's change to `paid` and the delivery's dedupe record.
 */
export const SCHEMA_SQL = `
BEGIN;
SELECT pg_advisory_xact_lock(hashtext('pasis example shop: schema'));
CREATE TABLE IF NOT EXISTS orders (
  id text PRIMARY KEY,
  product_id text NOT NULL,
  email text NOT NULL,
  amount integer NOT NULL CHECK (amount > 0),
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'paid', 'cancelled', 'amount_mismatch', 'failed')),
  session_id text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS orders_pending_created_at ON orders (created_at) WHERE status = 'pending';
CREATE TABLE IF NOT EXISTS payments (
  order_id text PRIMARY KEY REFERENCES orders (id),
  amount integer NOT NULL CHECK (amount > 0),
  delivery_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
COMMIT;
`;
