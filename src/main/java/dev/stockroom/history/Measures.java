package dev.stockroom.history;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * What the rollup keeps per (sku, location, day, kind), and what reports add up: the ledger's deltas split by sign,
 * so that an adjustment up is not netted against one down. Defined once here for the rollup job and for the
 * reports' reading of ledger rows not yet rolled up.
 */
record Measures(long movements, long onHandUp, long onHandDown, long reservedUp, long reservedDown, long committedUp,
                long committedDown) {

    /** The measure columns of the rollup tables, in this record's order. */
    static final String COLUMNS = "movements, on_hand_up, on_hand_down, reserved_up, reserved_down, committed_up,"
            + " committed_down";

    /** The measures of one ledger row {@code m}, named and ordered as {@link #COLUMNS}. */
    static final String OF_ROW = "1 AS movements, greatest(m.on_hand_delta, 0) AS on_hand_up,"
            + " greatest(-m.on_hand_delta, 0) AS on_hand_down, greatest(m.reserved_delta, 0) AS reserved_up,"
            + " greatest(-m.reserved_delta, 0) AS reserved_down, greatest(m.committed_delta, 0) AS committed_up,"
            + " greatest(-m.committed_delta, 0) AS committed_down";

    /** The UTC day of ledger row {@code m}: the rollup's and the reports' day. */
    static final String DAY_OF_ROW = "(m.occurred_at AT TIME ZONE 'UTC')::date";

    /** Sums of the measure columns, named as the columns. */
    static final String SUMS = "sum(movements) AS movements, sum(on_hand_up) AS on_hand_up,"
            + " sum(on_hand_down) AS on_hand_down, sum(reserved_up) AS reserved_up,"
            + " sum(reserved_down) AS reserved_down, sum(committed_up) AS committed_up,"
            + " sum(committed_down) AS committed_down";

    /** {@code ON CONFLICT ... DO UPDATE} assignments that add the new sums to a rollup row {@code d}. */
    static final String ADD_EXCLUDED = "movements = d.movements + excluded.movements,"
            + " on_hand_up = d.on_hand_up + excluded.on_hand_up, on_hand_down = d.on_hand_down + excluded.on_hand_down,"
            + " reserved_up = d.reserved_up + excluded.reserved_up,"
            + " reserved_down = d.reserved_down + excluded.reserved_down,"
            + " committed_up = d.committed_up + excluded.committed_up,"
            + " committed_down = d.committed_down + excluded.committed_down";

    static Measures read(ResultSet rs) throws SQLException {
        return new Measures(rs.getLong("movements"), rs.getLong("on_hand_up"), rs.getLong("on_hand_down"),
                rs.getLong("reserved_up"), rs.getLong("reserved_down"), rs.getLong("committed_up"),
                rs.getLong("committed_down"));
    }
}
