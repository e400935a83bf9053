-- @pasis/sql reconcile lease: one row per pending session an instance of the fleet is
-- checking (until expires_at). Idempotent; the same statements as the lease's migrate().
CREATE TABLE IF NOT EXISTS `pasis_reconcile_leases` (
  session_id VARBINARY(255) NOT NULL PRIMARY KEY,
  owner VARBINARY(64) NOT NULL,
  expires_at DATETIME(3) NOT NULL,
  KEY `pasis_reconcile_leases_expires_at` (expires_at)
) ENGINE=InnoDB;
