-- @pasis/sql outbox: effects written in a delivery's transaction, sent after it committed by
-- the outbox's worker. Idempotent; the same statements as the outbox's migrate().
CREATE TABLE IF NOT EXISTS `pasis_outbox` (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  topic VARCHAR(200) NOT NULL,
  payload LONGTEXT NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  available_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
  KEY `pasis_outbox_available_at` (available_at)
) ENGINE=InnoDB;
