-- The accepted form of an index on a live table: its own migration, CONCURRENTLY, outside a transaction.
SET lock_timeout = '3s';
SET statement_timeout = 0;
CREATE INDEX CONCURRENTLY IF NOT EXISTS reservation_order_ref ON reservation (order_ref);
RESET lock_timeout;
RESET statement_timeout;
