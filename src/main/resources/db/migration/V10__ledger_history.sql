-- Movement history that stays fast on years of data: the ledger partitioned by month on occurred_at, a daily
-- rollup for reports, and an online move of the existing unpartitioned ledger into the partitioned table.
--
-- Expand/contract. This migration only adds: a partitioned table beside the ledger, the rollup, and the functions
-- of the move. The version before it keeps working throughout, because it only ever inserts into stock_movement
-- (with a column list) and reads nothing of it:
--   * while the move runs, stock_movement is still the old table; a statement-level trigger forwards every row
--     inserted into it to stock_movement_partitioned, in the writing transaction;
--   * the service copies the history in batches in the background (dev.stockroom.history.LedgerMove), never
--     holding more than row locks on the old table;
--   * the switch-over, stock_movement_switch_over(), swaps the names in one short transaction: the partitioned
--     table becomes stock_movement, the old one stock_movement_unpartitioned. Inserts of either version name
--     stock_movement and reach the partitioned table from then on. A later release drops the old table.
-- An empty ledger (a new database) is switched over right here, so there is nothing to move.
--
-- Why a new table rather than attaching the old one as a partition: the old table has no partition key in its
-- primary key and covers every month at once, so it would have to stay one giant partition whose rows are moved out
-- (deleted, which the ledger forbids) before monthly partitions of the same range could exist.
--
-- Locks: everything created here is new and empty. The old table is locked only in the final DO block, SHARE ROW
-- EXCLUSIVE (it waits for the inserts in flight, then holds new ones back) for as long as it takes to create one
-- trigger; lock_timeout bounds that wait, and the migration fails (to be retried) rather than queue holds for long.
-- SET LOCAL: Flyway runs this file in a transaction on a pooled connection, which must not keep these settings.
--
-- Linter (squawk) exceptions, for the whole file:
-- * prefer-text-field, prefer-bigint-over-int: the ledger keeps the column types of the table it replaces (every
--   writer binds them), and the other tables use the same types for the same values.
-- * prefer-robust-stmts, require-concurrent-index-creation: the file runs in one transaction, so a failure leaves
--   nothing behind and it can simply run again; every index is built on a table created here, still empty (an
--   index on a partitioned table cannot be built concurrently anyway).
-- squawk-ignore-file prefer-text-field, prefer-bigint-over-int, prefer-robust-stmts, require-concurrent-index-creation
SET LOCAL lock_timeout = '2s';
SET LOCAL statement_timeout = '60s';

-- Ids of rows inserted into the partitioned ledger once it is stock_movement (until then every row arrives with
-- the id the old table gave it). A sequence rather than an identity column: partitioned tables take identity
-- columns only from PostgreSQL 17 on.
CREATE SEQUENCE stock_movement_ledger_id_seq AS bigint;

-- The same columns as the ledger it replaces, in the same order, so that every insert of the current and the
-- previous version fits both; xact_id is new and filled by its default.
CREATE TABLE stock_movement_partitioned (
    sku                varchar(64)  NOT NULL,
    id                 bigint       NOT NULL DEFAULT nextval('stock_movement_ledger_id_seq'),
    location           varchar(32)  NOT NULL,
    kind               varchar(16)  NOT NULL,
    on_hand_delta      integer      NOT NULL DEFAULT 0,
    reserved_delta     integer      NOT NULL DEFAULT 0,
    committed_delta    integer      NOT NULL DEFAULT 0,
    safety_stock_delta integer      NOT NULL DEFAULT 0,
    reservation_id     uuid,
    event_id           varchar(128),
    reason             varchar(200),
    occurred_at        timestamptz  NOT NULL,
    recorded_at        timestamptz  NOT NULL DEFAULT now(),
    -- The transaction that wrote the row. Ledger ids are taken inside writing transactions that commit out of
    -- order, so neither the id nor a time says which rows are final; the transaction id does: once it is below
    -- the oldest transaction still running, every row it wrote is committed (or gone) and visible. The rollup
    -- advances by that rule (see stock_movement_rollup_watermark).
    xact_id            xid8         NOT NULL DEFAULT pg_current_xact_id(),
    -- History pages of one SKU, newest first, and per-SKU report tails read this index backwards within the
    -- months of the range. It is also the unique key, which must contain the partition key.
    CONSTRAINT stock_movement_ledger_pkey PRIMARY KEY (sku, occurred_at, id)
) PARTITION BY RANGE (occurred_at);

ALTER SEQUENCE stock_movement_ledger_id_seq OWNED BY stock_movement_partitioned.id;

-- The rows not yet rolled up (xact_id at or above the watermark): what the rollup job aggregates next and what
-- every report adds to the rollup to be exact. Only the newest entries are ever read, so each lookup is a short
-- range at the right end of each partition's index.
-- The old table's index on reservation_id is not carried over: no query reads the ledger by reservation, and
-- every hold paid for it.
CREATE INDEX stock_movement_ledger_xact ON stock_movement_partitioned (xact_id);

CREATE TRIGGER stock_movement_ledger_no_change
    BEFORE UPDATE OR DELETE ON stock_movement_partitioned
    FOR EACH ROW EXECUTE FUNCTION stock_movement_append_only();

-- The partitioned ledger, whichever name it has at the moment: stock_movement_partitioned until the switch-over,
-- stock_movement after it.
CREATE FUNCTION stock_movement_ledger() RETURNS regclass LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN (SELECT relkind FROM pg_class WHERE oid = to_regclass('stock_movement')) = 'p'
                THEN to_regclass('stock_movement') ELSE to_regclass('stock_movement_partitioned') END
$$;

-- Creates the partition of the month that contains the given day, unless it exists; true when it created one.
-- CREATE TABLE then ATTACH PARTITION, because CREATE TABLE ... PARTITION OF locks the whole ledger (ACCESS
-- EXCLUSIVE) while ATTACH takes SHARE UPDATE EXCLUSIVE, which inserts do not wait for. Months are UTC months.
CREATE FUNCTION stock_movement_ensure_partition(day date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    ledger regclass := stock_movement_ledger();
    first_day date := date_trunc('month', day)::date;
    name text := 'stock_movement_p' || to_char(first_day, 'YYYY_MM');
BEGIN
    -- Replicas and the move may ask for the same month at once.
    PERFORM pg_advisory_xact_lock(hashtext('stock_movement_ensure_partition'));
    IF EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = ledger AND c.relname = name) THEN
        RETURN false;
    END IF;
    IF to_regclass(name) IS NOT NULL THEN
        RAISE EXCEPTION 'table % exists but is not a partition of the ledger: a month detached for archiving', name;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS)', name, ledger);
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', ledger, name,
                   first_day::timestamp AT TIME ZONE 'UTC', (first_day + 1 * interval '1 month')::timestamp AT TIME ZONE 'UTC');
    RETURN true;
END
$$;

-- The partitions of the ledger with their bounds, and whether a DETACH ... CONCURRENTLY was interrupted.
CREATE FUNCTION stock_movement_partitions()
    RETURNS TABLE (name text, from_at timestamptz, to_at timestamptz, detach_pending boolean)
    LANGUAGE sql STABLE AS $$
    SELECT c.relname::text, b[1]::timestamptz, b[2]::timestamptz, i.inhdetachpending
    FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    CROSS JOIN LATERAL regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']*)''\) TO \(''([^'']*)''\)') b
    WHERE i.inhparent = stock_movement_ledger()
    ORDER BY 2
$$;

-- The previous month, this one and twelve ahead. The service keeps creating months ahead (HistoryConfig), but a
-- version that does not know about partitions may run alone for a while after a rollback: inserts into a month
-- without a partition would fail.
DO $$
BEGIN
    FOR m IN -1..12 LOOP
        PERFORM stock_movement_ensure_partition((date_trunc('month', now() AT TIME ZONE 'UTC') + m * interval '1 month')::date);
    END LOOP;
END
$$;

-- Months detached by retention, waiting to be archived by an operator (pg_dump, then DROP TABLE). Detached
-- partitions are never dropped by the service.
CREATE TABLE stock_movement_archive (
    name        varchar(63) PRIMARY KEY,
    from_at     timestamptz NOT NULL,
    to_at       timestamptz NOT NULL,
    row_count   bigint      NOT NULL,
    detached_at timestamptz NOT NULL
);

-- The daily rollup: per (sku, location, UTC day, kind), the ledger's deltas split by sign, so that reports can tell
-- adjustments up from down and transfers in from out. Maintained only by the rollup job, never in a writing
-- transaction: a hold would otherwise update one more hot row.
CREATE TABLE stock_movement_daily (
    sku            varchar(64) NOT NULL,
    location       varchar(32) NOT NULL,
    day            date        NOT NULL,
    kind           varchar(16) NOT NULL,
    movements      bigint      NOT NULL,
    on_hand_up     bigint      NOT NULL,
    on_hand_down   bigint      NOT NULL,
    reserved_up    bigint      NOT NULL,
    reserved_down  bigint      NOT NULL,
    committed_up   bigint      NOT NULL,
    committed_down bigint      NOT NULL,
    -- Stock flow of one SKU at one location: one short range per report.
    PRIMARY KEY (sku, location, day, kind)
);

-- Shrinkage at one location: only the rows with losses to adjustments, counts and corrections, by day.
CREATE INDEX stock_movement_daily_shrinkage ON stock_movement_daily (location, day) INCLUDE (sku, kind, on_hand_down)
    WHERE kind IN ('ADJUSTED', 'COUNTED', 'CORRECTION') AND on_hand_down > 0;

-- The same rollup summed over locations: stock flow of one SKU everywhere reads one row per day and kind instead of
-- one per location, day and kind.
CREATE TABLE stock_movement_daily_sku (
    sku            varchar(64) NOT NULL,
    day            date        NOT NULL,
    kind           varchar(16) NOT NULL,
    movements      bigint      NOT NULL,
    on_hand_up     bigint      NOT NULL,
    on_hand_down   bigint      NOT NULL,
    reserved_up    bigint      NOT NULL,
    reserved_down  bigint      NOT NULL,
    committed_up   bigint      NOT NULL,
    committed_down bigint      NOT NULL,
    PRIMARY KEY (sku, day, kind)
);

-- Shrinkage over every location: the days of the range, losses only, covering the columns the report sums.
CREATE INDEX stock_movement_daily_sku_shrinkage ON stock_movement_daily_sku (day) INCLUDE (sku, kind, on_hand_down)
    WHERE kind IN ('ADJUSTED', 'COUNTED', 'CORRECTION') AND on_hand_down > 0;

-- The same rollup summed over SKUs: stock flow of a whole location reads one row per day and kind.
CREATE TABLE stock_movement_daily_location (
    location       varchar(32) NOT NULL,
    day            date        NOT NULL,
    kind           varchar(16) NOT NULL,
    movements      bigint      NOT NULL,
    on_hand_up     bigint      NOT NULL,
    on_hand_down   bigint      NOT NULL,
    reserved_up    bigint      NOT NULL,
    reserved_down  bigint      NOT NULL,
    committed_up   bigint      NOT NULL,
    committed_down bigint      NOT NULL,
    PRIMARY KEY (location, day, kind)
);

-- How far the rollup has come: every ledger row whose xact_id is below rolled_below is counted in the three daily
-- tables, and no row at or above it is. The job advances it to the oldest transaction still running, which waits
-- for writers in flight whatever order they commit in. A report reads this row, the rollup, and the ledger rows
-- at or above it, in one statement: exact to the moment of its snapshot.
CREATE TABLE stock_movement_rollup_watermark (
    only_row     boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
    rolled_below xid8        NOT NULL,
    caught_up_at timestamptz NOT NULL
);
INSERT INTO stock_movement_rollup_watermark (rolled_below, caught_up_at)
VALUES (pg_snapshot_xmin(pg_current_snapshot()), now());

-- The state of the move: COPYING (the trigger forwards new rows, the job copies the old ones in key order from
-- the copied_sku/copied_id cursor), COPIED (every old row is in; waiting for the switch-over), SWITCHED.
CREATE TABLE stock_movement_move (
    only_row    boolean     PRIMARY KEY DEFAULT true CHECK (only_row),
    state       varchar(16) NOT NULL CHECK (state IN ('COPYING', 'COPIED', 'SWITCHED')),
    copied_sku  varchar(64),
    copied_id   bigint,
    copied_rows bigint      NOT NULL DEFAULT 0,
    started_at  timestamptz NOT NULL DEFAULT now(),
    copied_at   timestamptz,
    switched_at timestamptz
);

-- Forwards the rows of an insert into the old ledger, in the same transaction and with the same ids.
CREATE FUNCTION stock_movement_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stock_movement_partitioned (sku, id, location, kind, on_hand_delta, reserved_delta, committed_delta,
                                            safety_stock_delta, reservation_id, event_id, reason, occurred_at,
                                            recorded_at)
    SELECT sku, id, location, kind, on_hand_delta, reserved_delta, committed_delta, safety_stock_delta,
           reservation_id, event_id, reason, occurred_at, recorded_at
    FROM forwarded;
    RETURN NULL;
END
$$;

-- The switch-over, once the copy is complete: waits at most lock_wait for the writers in flight (new writers queue
-- behind it meanwhile), then swaps the names, which takes milliseconds. Returns false, changing nothing, when the
-- copy is not complete or the lock was not granted in time; the job tries again on its next run. An operator may
-- call it by hand: SELECT stock_movement_switch_over(interval '200 milliseconds');
CREATE FUNCTION stock_movement_switch_over(lock_wait interval) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    old_ids bigint;
BEGIN
    IF (SELECT state FROM stock_movement_move FOR UPDATE) IS DISTINCT FROM 'COPIED' THEN
        RETURN false;
    END IF;
    PERFORM set_config('lock_timeout', (extract(epoch FROM lock_wait) * 1000)::bigint || 'ms', true);
    BEGIN
        LOCK TABLE stock_movement, stock_movement_partitioned IN ACCESS EXCLUSIVE MODE;
    EXCEPTION WHEN lock_not_available THEN
        RETURN false;
    END;
    -- Every row of the old table is in the partitioned one: copied, or forwarded by the trigger.
    DROP TRIGGER IF EXISTS stock_movement_forward ON stock_movement;
    ALTER TABLE stock_movement RENAME TO stock_movement_unpartitioned;
    ALTER TABLE stock_movement_partitioned RENAME TO stock_movement;
    -- New ids continue after the old table's.
    SELECT last_value INTO old_ids FROM stock_movement_id_seq;
    PERFORM setval('stock_movement_ledger_id_seq',
                   greatest(old_ids, (SELECT last_value FROM stock_movement_ledger_id_seq)));
    UPDATE stock_movement_move SET state = 'SWITCHED', switched_at = now();
    RETURN true;
END
$$;

DO $$
BEGIN
    -- No insert may be in flight while the forwarding trigger is put in place, or a row could be in neither table.
    LOCK TABLE stock_movement IN SHARE ROW EXCLUSIVE MODE;
    IF EXISTS (SELECT 1 FROM stock_movement) THEN
        CREATE TRIGGER stock_movement_forward
            AFTER INSERT ON stock_movement
            REFERENCING NEW TABLE AS forwarded
            FOR EACH STATEMENT EXECUTE FUNCTION stock_movement_forward();
        INSERT INTO stock_movement_move (state) VALUES ('COPYING');
    ELSE
        INSERT INTO stock_movement_move (state, copied_at) VALUES ('COPIED', now());
        IF NOT stock_movement_switch_over(interval '2 seconds') THEN
            RAISE EXCEPTION 'stock_movement is empty but could not be locked to switch it over; retry the migration';
        END IF;
    END IF;
END
$$;
