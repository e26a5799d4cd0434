package dev.stockroom.history;

import dev.stockroom.platform.ProblemException;
import dev.stockroom.stock.MovementKind;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.stream.Collectors;

/** Reads the query parameters of history and report requests; anything malformed is a 400 naming the field. */
final class Params {

    private Params() {
    }

    static int limit(String value, int byDefault, int max) {
        if (value == null) {
            return byDefault;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= max) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below, like a number out of range
        }
        throw ProblemException.invalid("limit", "must be a whole number from 1 to " + max);
    }

    /** A UTC day, {@code 2026-03-01}. */
    static LocalDate day(String value, String field) {
        if (value == null) {
            throw ProblemException.invalid(field, "is required (a date such as 2026-03-01)");
        }
        try {
            return LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be a date such as 2026-03-01");
        }
    }

    /** A moment ({@code 2026-03-01T12:00:00Z}, any offset) or a UTC day (its midnight); null when absent. */
    static Instant instant(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return value.contains("T") ? OffsetDateTime.parse(value.strip()).toInstant()
                    : LocalDate.parse(value.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.invalid(field, "must be a date-time such as 2026-03-01T12:00:00Z, or a date");
        }
    }

    /** Days from {@code from} to {@code to}: positive and at most {@code maxDays}. */
    static void range(LocalDate from, LocalDate to, int maxDays) {
        range(ChronoUnit.DAYS.between(from, to) * 86_400_000L, maxDays);
    }

    /** The same rule for moments: {@code to} after {@code from}, at most {@code maxDays} days later. */
    static void range(Instant from, Instant to, int maxDays) {
        range(Duration.between(from, to).toMillis(), maxDays);
    }

    private static void range(long millis, int maxDays) {
        if (millis <= 0) {
            throw ProblemException.invalid("to", "must be after from");
        }
        if (millis > maxDays * 86_400_000L) {
            throw ProblemException.invalid("to", "the range may cover at most " + maxDays + " days; this one covers "
                    + String.format(java.util.Locale.ROOT, "%.1f", millis / 86_400_000.0) + " days");
        }
    }

    static Granularity granularity(String value) {
        if (value == null) {
            return Granularity.DAY;
        }
        return Granularity.parse(value.strip()).orElseThrow(() -> ProblemException.invalid("granularity",
                "must be one of " + Arrays.stream(Granularity.values()).map(Granularity::label)
                        .collect(Collectors.joining(", "))));
    }

    static MovementKind kind(String value) {
        if (value == null) {
            return null;
        }
        try {
            return MovementKind.valueOf(value.strip());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalid("kind", "must be one of " + Arrays.stream(MovementKind.values())
                    .map(Enum::name).collect(Collectors.joining(", ")));
        }
    }
}
