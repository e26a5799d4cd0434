package dev.stockroom.warehouse;

import java.util.Locale;

/**
 * Why a warehouse event is set aside; {@link #code()} is the {@code dlq-reason} header. docs/events.md lists every
 * value with when it applies (RejectionTableTest checks that the table and this enum agree).
 */
enum Rejection {
    UNPARSEABLE,
    MISSING_ID,
    UNKNOWN_TYPE,
    INVALID_FIELD,
    KEY_MISMATCH,
    NON_POSITIVE_QUANTITY,
    SAME_LOCATION,
    UNKNOWN_LOCATION,
    UNKNOWN_STOCK_LEVEL,
    ON_HAND_BELOW_ZERO,
    ON_HAND_ABOVE_LIMIT,
    UNKNOWN_RESERVATION,
    UNKNOWN_RESERVATION_LINE,
    RESERVATION_NOT_COMMITTED,
    SHIPPED_EXCEEDS_COMMITTED,
    /** The database refused the event on its own (a constraint or data error). */
    DATABASE_REJECTED;

    /** The stable code on the dead-letter topic and in metrics, such as {@code unknown-location}. */
    String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
