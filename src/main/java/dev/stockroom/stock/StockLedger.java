package dev.stockroom.stock;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/** Appends movements to the ledger, in the caller's transaction, so that a change and its record commit together. */
@ApplicationScoped
public class StockLedger {

    private final AgroalDataSource dataSource;

    StockLedger(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Appends the movements with one set-based statement (arrays, one per column), however many there are: a batch
     * of warehouse events appends thousands at once.
     */
    public void record(Collection<Movement> movements, Instant recordedAt) throws SQLException {
        if (movements.isEmpty()) {
            return;
        }
        List<Movement> rows = List.copyOf(movements);
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO stock_movement (sku, location, kind,"
                     + " on_hand_delta, reserved_delta, committed_delta, safety_stock_delta, reservation_id, event_id,"
                     + " reason, occurred_at, recorded_at)"
                     + " SELECT *, ? FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::int[], ?::int[], ?::int[],"
                     + " ?::int[], ?::uuid[], ?::varchar[], ?::varchar[], ?::timestamptz[])")) {
            insert.setTimestamp(1, Timestamp.from(recordedAt));
            insert.setArray(2, c.createArrayOf("varchar", column(rows, Movement::sku)));
            insert.setArray(3, c.createArrayOf("varchar", column(rows, Movement::location)));
            insert.setArray(4, c.createArrayOf("varchar", column(rows, m -> m.kind().name())));
            insert.setArray(5, c.createArrayOf("int4", column(rows, Movement::onHandDelta)));
            insert.setArray(6, c.createArrayOf("int4", column(rows, Movement::reservedDelta)));
            insert.setArray(7, c.createArrayOf("int4", column(rows, Movement::committedDelta)));
            insert.setArray(8, c.createArrayOf("int4", column(rows, Movement::safetyStockDelta)));
            insert.setArray(9, c.createArrayOf("uuid", column(rows, Movement::reservationId)));
            insert.setArray(10, c.createArrayOf("varchar", column(rows, Movement::eventId)));
            insert.setArray(11, c.createArrayOf("varchar", column(rows, Movement::reason)));
            insert.setArray(12, c.createArrayOf("timestamptz", column(rows, m -> Timestamp.from(m.occurredAt()))));
            insert.executeUpdate();
        }
    }

    private static Object[] column(List<Movement> rows, Function<Movement, Object> field) {
        Object[] values = new Object[rows.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = field.apply(rows.get(i));
        }
        return values;
    }
}
