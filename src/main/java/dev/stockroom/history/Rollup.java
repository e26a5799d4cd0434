package dev.stockroom.history;

import dev.stockroom.platform.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * One step of the daily rollup: adds the ledger rows that no writer can still be writing to the three daily tables,
 * and moves the watermark past them, in one transaction.
 *
 * <p>Which rows are final cannot be told from their ids or times: ids are taken inside writing transactions that
 * commit out of order, and a hold that took id 100 may commit after one that took id 101. Each row carries the id of
 * the transaction that wrote it ({@code xact_id}). The step runs in REPEATABLE READ; the xmin of its snapshot is the
 * oldest transaction still running, so every transaction below it has committed or aborted, and all it wrote is
 * visible to the step. The step aggregates the rows with {@code rolled_below <= xact_id < xmin} and sets
 * {@code rolled_below} to xmin. A row of a writer still in flight has {@code xact_id >= xmin} and waits for a later
 * step; no row can ever appear below the watermark afterwards. Nothing is counted twice or missed.
 *
 * <p>A step takes whole transactions only, up to about {@code maxRows} rows, so a backlog is worked off in bounded
 * transactions. Replicas take turns on the watermark row; one that finds it locked or changed since its snapshot
 * leaves the step to the other.
 */
final class Rollup {

    /** How a step ended. */
    enum Outcome {
        /** Everything final was rolled up. */
        CAUGHT_UP,
        /** A part was rolled up; more rows are final. */
        MORE,
        /** Another replica is rolling up. */
        BUSY
    }

    /** What a step did. */
    record Step(Outcome outcome, long rows) {
    }

    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String SERIALIZATION_FAILURE = "40001";

    private Rollup() {
    }

    /**
     * Runs one step in a transaction of its own on {@code c}, which must not be in a transaction; its statements may
     * take up to {@code timeout} each.
     */
    static Step step(Connection c, int maxRows, Duration timeout) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        int isolation = c.getTransactionIsolation();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try {
            Step step = stepInTransaction(c, maxRows, timeout);
            c.commit();
            return step;
        } catch (SQLException e) {
            c.rollback();
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState()) || SERIALIZATION_FAILURE.equals(e.getSQLState())) {
                return new Step(Outcome.BUSY, 0);
            }
            throw e;
        } finally {
            c.setTransactionIsolation(isolation);
            c.setAutoCommit(autoCommit);
        }
    }

    private static Step stepInTransaction(Connection c, int maxRows, Duration timeout) throws SQLException {
        // The first statement takes the snapshot; its xmin is the horizon below which every writer has finished.
        // The next statements are planned with the step's own bounds (a generic plan would not know how few rows
        // lie above the watermark), under a timeout of the job's rather than the write pool's.
        List<String[]> state = Sql.query(c, "SELECT rolled_below::text, pg_snapshot_xmin(pg_current_snapshot())::text,"
                + " stock_movement_ledger()::text FROM stock_movement_rollup_watermark FOR UPDATE NOWAIT",
                rs -> new String[]{rs.getString(1), rs.getString(2), rs.getString(3)});
        Sql.update(c, "SET LOCAL plan_cache_mode = force_custom_plan");
        Sql.update(c, "SET LOCAL statement_timeout = " + timeout.toMillis());
        long from = Long.parseUnsignedLong(state.get(0)[0]);
        long horizon = Long.parseUnsignedLong(state.get(0)[1]);
        String ledger = ledgerName(state.get(0)[2]);
        if (Long.compareUnsigned(from, horizon) >= 0) {
            Sql.update(c, "UPDATE stock_movement_rollup_watermark SET caught_up_at = now()");
            return new Step(Outcome.CAUGHT_UP, 0);
        }
        long upper = upperBound(c, ledger, from, horizon, maxRows);
        boolean caughtUp = upper == horizon;
        long rows = Sql.query(c, "WITH delta AS MATERIALIZED ("
                + "   SELECT sku, location, day, kind, " + Measures.SUMS + " FROM ("
                + "     SELECT m.sku, m.location, " + Measures.DAY_OF_ROW + " AS day, m.kind, " + Measures.OF_ROW
                + "     FROM " + ledger + " m WHERE m.xact_id >= ?::xid8 AND m.xact_id < ?::xid8) r"
                + "   GROUP BY sku, location, day, kind),"
                + " by_sku_location AS (INSERT INTO stock_movement_daily AS d (sku, location, day, kind, "
                + Measures.COLUMNS + ") SELECT sku, location, day, kind, " + Measures.COLUMNS + " FROM delta"
                + "   ON CONFLICT (sku, location, day, kind) DO UPDATE SET " + Measures.ADD_EXCLUDED + "),"
                + " by_sku AS (INSERT INTO stock_movement_daily_sku AS d (sku, day, kind, " + Measures.COLUMNS
                + ") SELECT sku, day, kind, " + Measures.SUMS + " FROM delta GROUP BY sku, day, kind"
                + "   ON CONFLICT (sku, day, kind) DO UPDATE SET " + Measures.ADD_EXCLUDED + "),"
                + " by_location AS (INSERT INTO stock_movement_daily_location AS d (location, day, kind, "
                + Measures.COLUMNS + ") SELECT location, day, kind, " + Measures.SUMS
                + "   FROM delta GROUP BY location, day, kind"
                + "   ON CONFLICT (location, day, kind) DO UPDATE SET " + Measures.ADD_EXCLUDED + "),"
                + " mark AS (UPDATE stock_movement_rollup_watermark SET rolled_below = ?::xid8,"
                + "   caught_up_at = CASE WHEN ? THEN now() ELSE caught_up_at END)"
                + " SELECT coalesce(sum(movements), 0) FROM delta",
                rs -> rs.getLong(1), Long.toUnsignedString(from), Long.toUnsignedString(upper),
                Long.toUnsignedString(upper), caughtUp).get(0);
        return new Step(caughtUp ? Outcome.CAUGHT_UP : Outcome.MORE, rows);
    }

    /**
     * The exclusive upper bound of this step: the horizon when at most {@code maxRows} rows wait, else the first
     * transaction past the first {@code maxRows} rows. A transaction with more rows than that is taken alone.
     */
    private static long upperBound(Connection c, String ledger, long from, long horizon, int maxRows)
            throws SQLException {
        List<String> cut = Sql.query(c, "SELECT xact_id::text FROM " + ledger
                + " WHERE xact_id >= ?::xid8 AND xact_id < ?::xid8 ORDER BY xact_id OFFSET ? LIMIT 1",
                rs -> rs.getString(1), Long.toUnsignedString(from), Long.toUnsignedString(horizon), maxRows);
        if (cut.isEmpty()) {
            return horizon;
        }
        long at = Long.parseUnsignedLong(cut.get(0));
        if (at != from) {
            return at;
        }
        return Long.parseUnsignedLong(Sql.query(c, "SELECT coalesce(min(xact_id), ?::xid8)::text FROM " + ledger
                + " WHERE xact_id > ?::xid8 AND xact_id < ?::xid8", rs -> rs.getString(1),
                Long.toUnsignedString(horizon), Long.toUnsignedString(from), Long.toUnsignedString(horizon)).get(0));
    }

    /** The partitioned ledger's name as the database reports it; only the two names the move knows are taken. */
    static String ledgerName(String reported) {
        if (!"stock_movement".equals(reported) && !"stock_movement_partitioned".equals(reported)) {
            throw new IllegalStateException("Unexpected partitioned ledger " + reported);
        }
        return reported;
    }
}
