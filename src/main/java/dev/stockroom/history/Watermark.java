package dev.stockroom.history;

import dev.stockroom.platform.Sql;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A recent value of the rollup's watermark, for the planner of report statements: with it, the planner sees how few
 * ledger rows lie above the watermark and reads them through the {@code xact_id} index. A report still compares
 * with the watermark of its own snapshot as well, so a value that is behind costs a few more index entries, never a
 * wrong answer: the watermark only grows, so every value seen before a report is at or below the one it reads.
 */
@ApplicationScoped
class Watermark {

    /** A value older than this is read again before the next report. */
    private static final Duration FRESH = Duration.ofSeconds(10);

    private record Seen(String value, Instant at) {
    }

    private final AtomicReference<Seen> seen = new AtomicReference<>();
    private final Clock clock;

    Watermark(Clock clock) {
        this.clock = clock;
    }

    /** The last value seen, read on {@code c} first when there is none or it is old. */
    String recent(Connection c) throws SQLException {
        Seen last = seen.get();
        if (last == null || last.at().isBefore(clock.instant().minus(FRESH))) {
            saw(read(c));
            last = seen.get();
        }
        return last.value();
    }

    /** Remembers a value read from the database (by a report or the rollup job on this replica). */
    void saw(String value) {
        seen.set(new Seen(value, clock.instant()));
    }

    static String read(Connection c) throws SQLException {
        return Sql.query(c, "SELECT rolled_below::text FROM stock_movement_rollup_watermark", rs -> rs.getString(1))
                .get(0);
    }
}
