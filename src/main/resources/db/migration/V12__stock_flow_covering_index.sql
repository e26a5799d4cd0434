-- Stock flow of one SKU over every location reads up to a year of that SKU's rows of stock_movement_daily_sku: up to
-- 366 days times the kinds. By the primary key, each row costs a visit to its own heap page, since a popular SKU's
-- rows are spread over the whole table (the rollup appends a day of every SKU at a time); the report then read
-- hundreds of pages, and its p95 moved with what happened to be cached (21 to 45 ms in the service between runs on
-- 10M ledger rows). This index carries the measures the report sums, so the same read is an index-only scan over a
-- few dozen consecutive index pages. Rows of days the rollup has finished are all-visible once (auto)vacuum has
-- passed, which is what an index-only scan needs; today's rows, still being updated, are read from the heap.
-- The cost: a second copy of the table's rows, written only by the rollup job, never by a hold.
--
-- Built CONCURRENTLY, so the rollup job keeps writing while it builds. An earlier attempt that failed half-way
-- leaves an invalid index of that name, which IF NOT EXISTS would keep: it is dropped first.
SET lock_timeout = '3s';
SET statement_timeout = 0;
DROP INDEX CONCURRENTLY IF EXISTS stock_movement_daily_sku_flow;
CREATE INDEX CONCURRENTLY IF NOT EXISTS stock_movement_daily_sku_flow ON stock_movement_daily_sku (sku, day, kind)
    INCLUDE (movements, on_hand_up, on_hand_down, reserved_up, reserved_down, committed_up, committed_down);
RESET lock_timeout;
RESET statement_timeout;
