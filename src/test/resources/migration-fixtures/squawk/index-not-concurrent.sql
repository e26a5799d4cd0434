-- Builds an index on a live table without CONCURRENTLY: writes wait for the whole build.
SET LOCAL lock_timeout = '3s';
SET LOCAL statement_timeout = '60s';
CREATE INDEX reservation_order_ref ON reservation (order_ref);
