-- Storage settings for the write path, found by profiling a burst of warehouse events.

-- The ledger's per-SKU history reads by its primary key (sku, id), which is the order of recording. An index by
-- occurred_at was maintained on every movement and read by no query.
DROP INDEX stock_movement_history;

-- Every hold, commit, release and warehouse event rewrites stock_level rows without touching their key. Leaving
-- a fifth of each page free lets PostgreSQL keep those updates on the same page (HOT updates), so the primary key
-- index is not written again for each new row version.
-- It applies to pages written from now on; a table rewritten by VACUUM FULL gets it everywhere.
ALTER TABLE stock_level SET (fillfactor = 80);
