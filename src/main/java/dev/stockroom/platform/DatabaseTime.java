package dev.stockroom.platform;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Instants as PostgreSQL stores them. A {@code timestamptz} keeps microseconds, while the JVM's clock gives
 * nanoseconds: an instant written to the database and shown to a client must be cut to microseconds when it is made,
 * so that the first answer and every later read (a replayed hold, a GET) show the same value.
 */
public final class DatabaseTime {

    private DatabaseTime() {
    }

    /** The clock's current instant, cut to what a {@code timestamptz} column keeps. */
    public static Instant now(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
