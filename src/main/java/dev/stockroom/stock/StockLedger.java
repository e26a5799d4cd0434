package dev.stockroom.stock;

import dev.stockroom.platform.Sql;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/** Appends movements to the ledger, in the caller's transaction, so that a change and its record commit together. */
@ApplicationScoped
class StockLedger {

    /**
     * Appends movements with one set-based statement (arrays, one per column), however many there are. Its
     * parameters are the time of recording, then {@link #columns}.
     */
    static final String INSERT = "INSERT INTO stock_movement (sku, location, kind, on_hand_delta, reserved_delta,"
            + " committed_delta, safety_stock_delta, reservation_id, event_id, reason, occurred_at, recorded_at)"
            + " SELECT m.*, ? FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::int[], ?::int[], ?::int[],"
            + " ?::int[], ?::uuid[], ?::varchar[], ?::varchar[], ?::timestamptz[]) AS m";

    private final AgroalDataSource dataSource;

    StockLedger(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Appends the movements: a batch of warehouse events appends thousands at once. */
    void record(Collection<Movement> movements, Instant recordedAt) throws SQLException {
        if (movements.isEmpty()) {
            return;
        }
        List<Object> params = new ArrayList<>();
        params.add(recordedAt);
        params.addAll(columns(List.copyOf(movements)));
        try (Connection c = dataSource.getConnection()) {
            Sql.update(c, INSERT, params.toArray());
        }
    }

    /** The array parameters of {@link #INSERT}, one per column, in its order. */
    static List<Object> columns(List<Movement> rows) {
        return List.of(
                column(rows, Movement::sku, String[]::new),
                column(rows, Movement::location, String[]::new),
                column(rows, m -> m.kind().name(), String[]::new),
                column(rows, Movement::onHandDelta, Integer[]::new),
                column(rows, Movement::reservedDelta, Integer[]::new),
                column(rows, Movement::committedDelta, Integer[]::new),
                column(rows, Movement::safetyStockDelta, Integer[]::new),
                column(rows, Movement::reservationId, java.util.UUID[]::new),
                column(rows, Movement::eventId, String[]::new),
                column(rows, Movement::reason, String[]::new),
                column(rows, Movement::occurredAt, Instant[]::new));
    }

    private static <V> V[] column(List<Movement> rows, Function<Movement, V> field, IntFunction<V[]> array) {
        V[] values = array.apply(rows.size());
        for (int i = 0; i < values.length; i++) {
            values[i] = field.apply(rows.get(i));
        }
        return values;
    }
}
