package dev.stockroom.stock;

import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Collection;

/** Appends movements to the ledger, in the caller's transaction, so that a change and its record commit together. */
@ApplicationScoped
public class StockLedger {

    private final AgroalDataSource dataSource;

    StockLedger(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public void record(Collection<Movement> movements, Instant recordedAt) throws SQLException {
        if (movements.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement insert = c.prepareStatement("INSERT INTO stock_movement (sku, location, kind,"
                     + " on_hand_delta, reserved_delta, committed_delta, safety_stock_delta, reservation_id, event_id,"
                     + " reason, occurred_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Movement m : movements) {
                insert.setString(1, m.sku());
                insert.setString(2, m.location());
                insert.setString(3, m.kind().name());
                insert.setInt(4, m.onHandDelta());
                insert.setInt(5, m.reservedDelta());
                insert.setInt(6, m.committedDelta());
                insert.setInt(7, m.safetyStockDelta());
                insert.setObject(8, m.reservationId(), Types.OTHER);
                insert.setString(9, m.eventId());
                insert.setString(10, m.reason());
                insert.setTimestamp(11, Timestamp.from(m.occurredAt()));
                insert.setTimestamp(12, Timestamp.from(recordedAt));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
