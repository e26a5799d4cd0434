package dev.stockroom.history;

import dev.stockroom.platform.Sql;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Moves an unpartitioned ledger into the partitioned one while holds go on (see V10__ledger_history.sql): copies the
 * old rows in key order, a bounded batch per transaction, then switches the names over.
 *
 * <p>A batch reads a fixed key range of the old table, (cursor, end], and inserts it with {@code ON CONFLICT DO
 * NOTHING}: a row inserted meanwhile was forwarded by the trigger in its own transaction, so it is either already
 * there (and skipped) or not yet visible to the batch (and arrives by the trigger). The copy takes no lock beyond
 * the rows it reads, so holds never wait for it. The cursor is saved with the batch, so a restart goes on where the
 * last committed batch ended; replicas take turns on the state row.
 */
@ApplicationScoped
class LedgerMove {

    /** Where the move stands; SWITCHED is final. */
    enum Phase {
        COPYING,
        COPIED,
        SWITCHED
    }

    private static final Logger LOG = Logger.getLogger(LedgerMove.class);
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    /** The columns of the ledger, old and new alike. */
    private static final String COLUMNS = "sku, id, location, kind, on_hand_delta, reserved_delta, committed_delta,"
            + " safety_stock_delta, reservation_id, event_id, reason, occurred_at, recorded_at";

    private final AgroalDataSource dataSource;
    private final HistoryConfig config;
    private volatile Phase phase;
    private final AtomicLong copied = new AtomicLong();

    LedgerMove(AgroalDataSource dataSource, HistoryConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config;
        Gauge.builder("stockroom.history.move.pending", this, m -> m.phase == Phase.SWITCHED ? 0 : 1)
                .description("1 while the ledger is being moved into its partitioned table").register(registry);
        Gauge.builder("stockroom.history.move.copied.rows", copied, AtomicLong::get)
                .description("Rows of the old ledger copied into the partitioned one").register(registry);
    }

    @Scheduled(every = "${stockroom.history.move.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        if (!config.jobs() || phase == Phase.SWITCHED) {
            return;
        }
        try {
            Phase now = phase();
            for (int batch = 0; now == Phase.COPYING && batch < config.move().maxBatchesPerRun(); batch++) {
                now = copyBatch();
            }
            if (now == Phase.COPIED && config.move().switchOver()) {
                switchOver();
            }
        } catch (SQLException e) {
            LOG.warnf("Ledger move: %s; trying again on the next run", e.getMessage());
        }
    }

    /** The phase as the database has it (remembered once SWITCHED). */
    Phase phase() throws SQLException {
        if (phase == Phase.SWITCHED) {
            return phase;
        }
        try (Connection c = dataSource.getConnection()) {
            return phase(c);
        }
    }

    /** The phase, read on the caller's connection unless already known to be SWITCHED. */
    Phase phase(Connection c) throws SQLException {
        if (phase != Phase.SWITCHED) {
            Sql.query(c, "SELECT state, copied_rows FROM stock_movement_move", rs -> {
                phase = Phase.valueOf(rs.getString(1));
                copied.set(rs.getLong(2));
                return null;
            });
        }
        return phase;
    }

    /** Rows copied so far, as last read. */
    long copiedRows() {
        return copied.get();
    }

    /** Copies the next batch of old rows; returns the phase after it. */
    Phase copyBatch() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Phase after = copyBatch(c);
                c.commit();
                return after;
            } catch (SQLException e) {
                c.rollback();
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    return Phase.COPYING; // another replica is copying this batch
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private Phase copyBatch(Connection c) throws SQLException {
        Object[] state = Sql.query(c, "SELECT state, copied_sku, copied_id FROM stock_movement_move FOR UPDATE NOWAIT",
                rs -> new Object[]{rs.getString(1), rs.getString(2), rs.getObject(3, Long.class)}).get(0);
        phase = Phase.valueOf((String) state[0]);
        if (phase != Phase.COPYING) {
            return phase;
        }
        Sql.update(c, "SET LOCAL statement_timeout = " + config.jobStatementTimeout().toMillis());
        List<Object> range = new ArrayList<>();
        String after = "";
        if (state[1] != null) {
            after = " AND (sku, id) > (?, ?)";
            range.addAll(List.of(state[1], state[2]));
        }
        List<Object[]> end = Sql.query(c, "SELECT sku, id FROM stock_movement WHERE true" + after
                + " ORDER BY sku, id OFFSET ? LIMIT 1", rs -> new Object[]{rs.getString(1), rs.getLong(2)},
                append(range, config.move().batchSize() - 1).toArray());
        boolean last = end.isEmpty();
        String within = "WHERE true" + after + (last ? "" : " AND (sku, id) <= (?, ?)");
        List<Object> params = last ? range : append(append(range, end.get(0)[0]), end.get(0)[1]);
        for (LocalDate month : Sql.query(c,
                "SELECT DISTINCT (date_trunc('month', occurred_at AT TIME ZONE 'UTC'))::date"
                        + " FROM stock_movement " + within, rs -> rs.getObject(1, LocalDate.class), params.toArray())) {
            Sql.query(c, "SELECT stock_movement_ensure_partition(?)", rs -> null, month);
        }
        int rows = Sql.update(c, "INSERT INTO stock_movement_partitioned (" + COLUMNS + ") SELECT " + COLUMNS
                + " FROM stock_movement " + within + " ON CONFLICT DO NOTHING", params.toArray());
        Sql.update(c, "UPDATE stock_movement_move SET copied_sku = ?, copied_id = ?, copied_rows = copied_rows + ?,"
                + " state = ?, copied_at = CASE WHEN ? THEN now() END",
                last ? state[1] : end.get(0)[0], last ? state[2] : end.get(0)[1], rows,
                last ? Phase.COPIED.name() : Phase.COPYING.name(), last);
        copied.addAndGet(rows);
        phase = last ? Phase.COPIED : Phase.COPYING;
        if (last) {
            LOG.infof("Ledger move: every old row is copied (%d rows); the switch-over can run", copied.get());
        }
        return phase;
    }

    /** Tries the switch-over once (see stock_movement_switch_over); true when the ledger is now the partitioned one. */
    boolean switchOver() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            boolean switched = Sql.query(c, "SELECT stock_movement_switch_over(?::interval)", rs -> rs.getBoolean(1),
                    config.move().switchLockWait().toMillis() + " milliseconds").get(0);
            if (switched) {
                phase = Phase.SWITCHED;
                LOG.infof("Ledger move: switched over; stock_movement is partitioned by month, the old table is"
                        + " stock_movement_unpartitioned until a later release drops it");
            } else {
                LOG.infof("Ledger move: the switch-over did not get its lock within %s; trying again on the next run",
                        config.move().switchLockWait());
            }
            return switched;
        }
    }

    private static List<Object> append(List<Object> list, Object value) {
        List<Object> copy = new ArrayList<>(list);
        copy.add(value);
        return copy;
    }
}
