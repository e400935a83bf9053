-- @pasis/sql: one row per handled webhook delivery, written in the same transaction as the
-- handler's own writes. Idempotent; the same statements as the store's migrate().
CREATE TABLE IF NOT EXISTS `pasis_webhook_deliveries` (
  dedupe_key VARBINARY(255) NOT NULL PRIMARY KEY,
  recorded_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY `pasis_webhook_deliveries_recorded_at` (recorded_at)
) ENGINE=InnoDB;
