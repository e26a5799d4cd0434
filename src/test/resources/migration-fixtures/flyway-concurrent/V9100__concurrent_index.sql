-- ConcurrentIndexMigrationsTest: the accepted form of an index on a live table, run by the service's own Flyway.
SET lock_timeout = '3s';
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY IF NOT EXISTS reservation_order_ref_test ON reservation (order_ref);
RESET lock_timeout;
RESET statement_timeout;
