-- Monthly losses per SKU, for the shrinkage report over every location. That report ranks every SKU that lost units
-- in the range; over a year of the daily rollup that is about 100,000 rows on a ledger of 10M movements, and summing
-- them is most of its time. By month the same year is about half as many rows: most SKUs lose units on a few days a
-- year, so days of one SKU rarely share a month, but the busy ones do.
--
-- Kept by a trigger on stock_movement_daily_sku rather than by the rollup job's statement: the version before this
-- one keeps rolling up during a rolling release and knows nothing of this table, and a row it rolls up must still
-- reach the month. The trigger adds what each insert or update of a daily row adds to on_hand_down; the rollup only
-- ever adds to its rows, never deletes them.
--
-- Locks: the table is new. CREATE TRIGGER locks stock_movement_daily_sku SHARE ROW EXCLUSIVE, which holds back the
-- rollup job (holds and events never write the rollup) until this transaction commits: the backfill below reads the
-- daily rows with no rollup step in between, and every step after it goes through the trigger. lock_timeout bounds
-- the wait for a step in flight; the migration fails, to be retried, rather than wait long. The backfill reads the
-- loss rows only, through the partial index stock_movement_daily_sku_shrinkage.
-- SET LOCAL: Flyway runs this file in a transaction on a pooled connection, which must not keep these settings.
--
-- Linter (squawk) exceptions, for the whole file:
-- * prefer-text-field: the same types as the rollup the rows come from.
-- * require-concurrent-index-creation: the index is built on the table created here, in this transaction.
-- squawk-ignore-file prefer-text-field, require-concurrent-index-creation
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '60s';

CREATE TABLE stock_movement_monthly_loss (
    sku   varchar(64) NOT NULL,
    month date        NOT NULL,
    kind  varchar(16) NOT NULL,
    lost  bigint      NOT NULL,
    -- The split by kind of the few SKUs a report ranks: their months of the range, by key.
    PRIMARY KEY (sku, month, kind)
);

-- The ranking: the months of the range, covering the columns it sums.
CREATE INDEX stock_movement_monthly_loss_ranking ON stock_movement_monthly_loss (month) INCLUDE (sku, lost);

CREATE FUNCTION stock_movement_monthly_loss_follow() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    added bigint := NEW.on_hand_down - CASE WHEN TG_OP = 'UPDATE' THEN OLD.on_hand_down ELSE 0 END;
BEGIN
    IF added <> 0 AND NEW.kind IN ('ADJUSTED', 'COUNTED', 'CORRECTION') THEN
        INSERT INTO stock_movement_monthly_loss AS l (sku, month, kind, lost)
        VALUES (NEW.sku, date_trunc('month', NEW.day)::date, NEW.kind, added)
        ON CONFLICT (sku, month, kind) DO UPDATE SET lost = l.lost + EXCLUDED.lost;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER stock_movement_monthly_loss_follow
    AFTER INSERT OR UPDATE ON stock_movement_daily_sku
    FOR EACH ROW EXECUTE FUNCTION stock_movement_monthly_loss_follow();

INSERT INTO stock_movement_monthly_loss (sku, month, kind, lost)
SELECT sku, date_trunc('month', day)::date, kind, sum(on_hand_down)
FROM stock_movement_daily_sku
WHERE kind IN ('ADJUSTED', 'COUNTED', 'CORRECTION') AND on_hand_down > 0
GROUP BY 1, 2, 3;
