package dev.stockroom.history;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes generated or imported ledger rows straight into PostgreSQL with COPY, one transaction per batch, creating
 * the monthly partitions they need; then the locations and the stock levels the rows replay to, and (on a
 * partitioned ledger) brings the daily rollup up to date. Prints a progress bar with the rows per second.
 */
final class LedgerLoader {

    /** What to write besides the ledger. */
    record Options(boolean stockLevels, boolean rollUp) {
    }

    /** What was written. */
    record Result(long rows, long stockLevels, long levelsSkipped, long rolledUp, Duration elapsed) {
    }

    private static final String COLUMNS = "sku, location, kind, on_hand_delta, reserved_delta, committed_delta,"
            + " safety_stock_delta, reservation_id, event_id, reason, occurred_at, recorded_at";

    private final Connection c;
    private final PrintStream out;
    /** Per "sku \0 location": on-hand, reserved, committed, safety stock, movements, last occurred (epoch ms). */
    private final Map<String, long[]> levels = new HashMap<>();

    LedgerLoader(Connection c, PrintStream out) {
        this.c = c;
        this.out = out;
    }

    Result load(Iterator<List<LedgerRow>> batches, long expectedRows, Collection<String> knownLocations,
                Options options) throws SQLException {
        Instant started = Instant.now();
        // A pooled connection may come with a statement_timeout sized for holds; bulk work needs none.
        execute("SET statement_timeout = 0");
        try {
            return loadWithoutTimeout(batches, expectedRows, knownLocations, options, started);
        } finally {
            execute("RESET statement_timeout");
        }
    }

    private Result loadWithoutTimeout(Iterator<List<LedgerRow>> batches, long expectedRows,
                                      Collection<String> knownLocations, Options options, Instant started)
            throws SQLException {
        boolean partitioned = exists("stock_movement_ensure_partition", "pg_proc", "proname");
        Progress progress = new Progress(out, "ledger", expectedRows);
        long rows = 0;
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try {
            while (batches.hasNext()) {
                List<LedgerRow> batch = batches.next();
                if (partitioned) {
                    ensurePartitions(batch);
                }
                copy(batch);
                c.commit();
                rows += batch.size();
                progress.at(rows);
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
        progress.done(rows);
        long[] written = options.stockLevels() ? writeLevels(knownLocations) : new long[2];
        // VACUUM as well: autovacuum would otherwise work through millions of fresh rows for minutes afterwards,
        // in the middle of whatever runs next (a benchmark's measurements), and index-only scans would visit the heap
        // until it had set the visibility map.
        execute("VACUUM ANALYZE stock_movement");
        long rolledUp = 0;
        if (options.rollUp() && partitioned) {
            rolledUp = rollUp(rows);
        }
        return new Result(rows, written[0], written[1], rolledUp, Duration.between(started, Instant.now()));
    }

    private void ensurePartitions(List<LedgerRow> batch) throws SQLException {
        TreeSet<LocalDate> months = new TreeSet<>();
        batch.forEach(r -> months.add(LocalDate.ofInstant(r.occurredAt(), ZoneOffset.UTC).withDayOfMonth(1)));
        for (LocalDate month : months) {
            dev.stockroom.platform.Sql.query(c, "SELECT stock_movement_ensure_partition(?)", rs -> null, month);
        }
    }

    private void copy(List<LedgerRow> batch) throws SQLException {
        StringBuilder text = new StringBuilder(batch.size() * 160);
        for (LedgerRow r : batch) {
            text.append(escape(r.sku())).append('\t').append(escape(r.location())).append('\t')
                    .append(r.kind().name()).append('\t').append(r.onHandDelta()).append('\t')
                    .append(r.reservedDelta()).append('\t').append(r.committedDelta()).append('\t')
                    .append(r.safetyStockDelta()).append('\t')
                    .append(r.reservationId() == null ? "\\N" : r.reservationId().toString()).append('\t')
                    .append(escape(r.eventId())).append('\t').append(escape(r.reason())).append('\t')
                    .append(r.occurredAt()).append('\t').append(r.recordedAt()).append('\n');
            long[] level = levels.computeIfAbsent(r.sku() + '\0' + r.location(), k -> new long[6]);
            level[0] += r.onHandDelta();
            level[1] += r.reservedDelta();
            level[2] += r.committedDelta();
            level[3] += r.safetyStockDelta();
            level[4]++;
            level[5] = Math.max(level[5], r.occurredAt().toEpochMilli());
        }
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("COPY stock_movement (" + COLUMNS + ") FROM STDIN");
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        in.writeToCopy(bytes, 0, bytes.length);
        in.endCopy();
    }

    /**
     * The locations, then one stock level per (sku, location) equal to the sum of its rows. Levels whose sums are
     * negative (an export that does not start at zero) cannot exist and are skipped. Written with triggers off when
     * the role may (superuser), so that a generated catalogue is not published as hundreds of thousands of changes.
     */
    private long[] writeLevels(Collection<String> knownLocations) throws SQLException {
        TreeSet<String> locations = new TreeSet<>(knownLocations);
        levels.keySet().forEach(k -> locations.add(k.substring(k.indexOf('\0') + 1)));
        c.setAutoCommit(false);
        try {
            dev.stockroom.platform.Sql.update(c, "INSERT INTO location (code, name, kind, priority, active, updated_at)"
                    + " SELECT code, 'Generated ' || code, CASE WHEN code LIKE '%ST-%' THEN 'STORE' ELSE 'WAREHOUSE' END,"
                    + " 100, true, now() FROM unnest(?::varchar[]) AS code ON CONFLICT (code) DO NOTHING",
                    (Object) locations.toArray(String[]::new));
            boolean quiet = tryExecute("SET LOCAL session_replication_role = replica");
            execute("CREATE TEMP TABLE generated_level (LIKE stock_level) ON COMMIT DROP");
            StringBuilder text = new StringBuilder();
            long skipped = 0;
            for (Map.Entry<String, long[]> e : levels.entrySet()) {
                long[] l = e.getValue();
                if (l[0] < 0 || l[1] < 0 || l[2] < 0 || l[3] < 0 || l[0] > Integer.MAX_VALUE) {
                    skipped++;
                    continue;
                }
                int split = e.getKey().indexOf('\0');
                text.append(escape(e.getKey().substring(0, split))).append('\t').append(escape(e.getKey().substring(
                        split + 1)))
                        .append('\t').append(l[0]).append('\t').append(l[1]).append('\t').append(l[2]).append('\t')
                        .append(l[3]).append('\t').append(l[4]).append('\t').append(Instant.ofEpochMilli(l[5]))
                        .append('\n');
            }
            CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY generated_level (sku, location,"
                    + " on_hand, reserved, committed, safety_stock, version, updated_at) FROM STDIN");
            byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
            long written = dev.stockroom.platform.Sql.update(c, "INSERT INTO stock_level SELECT * FROM generated_level"
                    + " ON CONFLICT (sku, location) DO NOTHING");
            c.commit();
            out.printf("stock levels: %,d written (%s), %,d skipped (negative sums)%n", written,
                    quiet ? "not announced" : "announced through the outbox", skipped);
            return new long[]{written, skipped};
        } catch (SQLException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private long rollUp(long rows) throws SQLException {
        Progress progress = new Progress(out, "rollup", rows);
        long total = 0;
        Rollup.Step step;
        do {
            // BUSY: the service's own rollup job took this step; keep going until the rollup has caught up.
            step = Rollup.step(c, 500_000, java.time.Duration.ofMinutes(10));
            total += step.rows();
            progress.at(Math.min(total, rows));
        } while (step.outcome() != Rollup.Outcome.CAUGHT_UP);
        progress.done(total);
        execute("VACUUM ANALYZE stock_movement_daily, stock_movement_daily_sku, stock_movement_daily_location,"
                + " stock_movement_monthly_loss, stock_movement_loss_total");
        return total;
    }

    private boolean exists(String name, String catalog, String column) throws SQLException {
        return !dev.stockroom.platform.Sql.query(c, "SELECT 1 FROM " + catalog + " WHERE " + column + " = ?",
                rs -> 1, name).isEmpty();
    }

    private boolean tryExecute(String sql) throws SQLException {
        execute("SAVEPOINT attempt");
        try {
            execute(sql);
            return true;
        } catch (SQLException e) {
            execute("ROLLBACK TO SAVEPOINT attempt");
            return false;
        }
    }

    private void execute(String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String escape(String value) {
        if (value == null) {
            return "\\N";
        }
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r");
    }

    /** A progress bar on one line, with the rate and the time left. */
    private static final class Progress {
        private final PrintStream out;
        private final String what;
        private final long total;
        private final long started = System.nanoTime();
        private long shownAt;

        Progress(PrintStream out, String what, long total) {
            this.out = out;
            this.what = what;
            this.total = Math.max(1, total);
        }

        void at(long done) {
            long now = System.nanoTime();
            if (now - shownAt < 500_000_000L) {
                return;
            }
            shownAt = now;
            out.print("\r" + line(done, now));
            out.flush();
        }

        void done(long done) {
            out.println("\r" + line(done, System.nanoTime()));
        }

        private String line(long done, long now) {
            double seconds = Math.max(1e-3, (now - started) / 1e9);
            double rate = done / seconds;
            int filled = (int) Math.min(30, 30 * done / total);
            long left = rate > 0 ? (long) ((total - Math.min(done, total)) / rate) : 0;
            return String.format("%-7s [%s%s] %3d%% %,d / %,d rows  %,.0f rows/s  %s %d:%02d", what,
                    "#".repeat(filled), ".".repeat(30 - filled), Math.min(100, 100 * done / total), done, total, rate,
                    done >= total ? "took" : "ETA", (done >= total ? (long) seconds : left) / 60,
                    (done >= total ? (long) seconds : left) % 60);
        }
    }
}
