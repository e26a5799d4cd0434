package dev.stockroom.history;

import com.fasterxml.jackson.annotation.JsonValue;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** The periods a stock-flow report is cut into. Weeks start on Monday (ISO); all periods are UTC days. */
public enum Granularity {
    DAY,
    WEEK,
    MONTH;

    /** The first day of the period that contains {@code day}. */
    LocalDate start(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    /** The first day of the period after the one that contains {@code day}. */
    LocalDate next(LocalDate day) {
        return switch (this) {
            case DAY -> day.plusDays(1);
            case WEEK -> start(day).plusWeeks(1);
            case MONTH -> start(day).plusMonths(1);
        };
    }

    /** As the API writes it: {@code day}, {@code week}, {@code month}. */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Optional<Granularity> parse(String label) {
        return Arrays.stream(values()).filter(g -> g.label().equalsIgnoreCase(label)).findFirst();
    }
}
