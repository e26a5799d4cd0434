package dev.stockroom.reservation;

import dev.stockroom.platform.Sql;
import dev.stockroom.stock.StockLevelRepository;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The rows a hold writes, in plain SQL in the caller's transaction: a hold is placed on the hot path of a flash
 * sale, where each round trip made while a stock row is locked delays every other buyer of that SKU.
 */
@ApplicationScoped
class ReservationRepository {

    private final AgroalDataSource dataSource;

    ReservationRepository(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Inserts a HELD reservation without lines. With an idempotency key already bound to a committed reservation
     * it inserts nothing and answers {@code false}; while another transaction holds the key uncommitted it waits
     * for that one to end (the unique index), so concurrent retries of one request create one hold.
     */
    boolean insertHeld(UUID id, String idempotencyKey, String requestHash, String orderRef, Instant createdAt,
                       Instant expiresAt) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Sql.update(c, "INSERT INTO reservation (id, idempotency_key, request_hash, order_ref, status,"
                            + " created_at, expires_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (idempotency_key) DO NOTHING",
                    id, idempotencyKey, requestHash, orderRef, ReservationStatus.HELD.name(), createdAt, expiresAt,
                    createdAt) == 1;
        }
    }

    /** The reservation line of a hold, written by the statement that holds it (from its {@code held} row). */
    static StockLevelRepository.Rider line(UUID reservationId, int quantity) {
        return new StockLevelRepository.Rider("INSERT INTO reservation_line (reservation_id, sku, location, quantity)"
                + " SELECT ?, sku, location, ? FROM held", List.of(reservationId, quantity));
    }
}
