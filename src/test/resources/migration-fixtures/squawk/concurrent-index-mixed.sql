-- Mixes a table change with a concurrent index build: Flyway would run the ALTER outside a transaction too.
SET lock_timeout = '3s';
SET statement_timeout = 0;
ALTER TABLE reservation ADD COLUMN channel text;
CREATE INDEX CONCURRENTLY IF NOT EXISTS reservation_channel ON reservation (channel);
RESET lock_timeout;
