-- ConcurrentIndexMigrationsTest: the accepted form of an index on a live table, run by the service's own Flyway.
SET lock_timeout = '3s';
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY IF NOT EXISTS stock_movement_occurred_at_test ON stock_movement (occurred_at);
RESET lock_timeout;
RESET statement_timeout;
