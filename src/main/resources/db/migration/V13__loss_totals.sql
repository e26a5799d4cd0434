-- Total losses per SKU over everything rolled up, for the shrinkage report over every location. Ranking every SKU
-- that lost units in a year means summing one row per SKU and month (about 52,000 rows on a ledger of 10M
-- movements) to keep twenty; that sum was most of the report's time. A SKU's total is an upper bound of what it lost
-- in any range, so the report asks first only the SKUs with the largest totals: once the last SKU it ranks lost more
-- in the range than the largest total left unasked, no other SKU can rank (ReportQueries.shrinkage). Losses follow
-- a long tail, so a hundred SKUs settle a year's top twenty; when they do not, the report asks more, then every SKU.
--
-- Kept by a trigger on stock_movement_monthly_loss, itself kept by a trigger on the daily rollup (V11), for the same
-- reason as there: the version before this one keeps rolling up during a rolling release and knows nothing of this
-- table. Totals only grow. Retention detaches old ledger partitions but keeps their rollup, so a total stays at
-- least the loss of any range the report can be asked about, which is all the bound needs.
--
-- Locks: the table is new. CREATE TRIGGER locks stock_movement_monthly_loss SHARE ROW EXCLUSIVE, which holds back the
-- rollup job (its daily rows reach the months through V11's trigger) until this transaction commits: the backfill
-- below reads the months with no rollup step in between, and every step after it goes through the trigger.
-- lock_timeout bounds the wait for a step in flight; the migration fails, to be retried, rather than wait long.
-- SET LOCAL: Flyway runs this file in a transaction on a pooled connection, which must not keep these settings.
--
-- Linter (squawk) exceptions, for the whole file:
-- * prefer-text-field: the same type as the SKU columns the totals come from.
-- * require-concurrent-index-creation: the index is built on the table created here, in this transaction.
-- squawk-ignore-file prefer-text-field, require-concurrent-index-creation
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '60s';

CREATE TABLE stock_movement_loss_total (
    sku  varchar(64) PRIMARY KEY,
    lost bigint      NOT NULL
);

-- The SKUs by total, largest first: the report reads the first hundred or so.
CREATE INDEX stock_movement_loss_total_ranking ON stock_movement_loss_total (lost DESC, sku);

CREATE FUNCTION stock_movement_loss_total_follow() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    added bigint := NEW.lost - CASE WHEN TG_OP = 'UPDATE' THEN OLD.lost ELSE 0 END;
BEGIN
    IF added <> 0 THEN
        INSERT INTO stock_movement_loss_total AS t (sku, lost)
        VALUES (NEW.sku, added)
        ON CONFLICT (sku) DO UPDATE SET lost = t.lost + EXCLUDED.lost;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER stock_movement_loss_total_follow
    AFTER INSERT OR UPDATE ON stock_movement_monthly_loss
    FOR EACH ROW EXECUTE FUNCTION stock_movement_loss_total_follow();

INSERT INTO stock_movement_loss_total (sku, lost)
SELECT sku, sum(lost)
FROM stock_movement_monthly_loss
GROUP BY sku;
