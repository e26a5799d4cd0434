package dev.stockroom.stock;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the append-only stock ledger: the deltas of one change to one stock level and what caused it.
 *
 * @param reservationId the hold that caused it, if any
 * @param eventId       the warehouse event that caused it, if any
 */
public record Movement(String sku, String location, MovementKind kind, int onHandDelta, int reservedDelta,
                       int committedDelta, int safetyStockDelta, UUID reservationId, String eventId, String reason,
                       Instant occurredAt) {

    /** The stock level it changed. */
    public StockKey key() {
        return new StockKey(sku, location);
    }

    public static Movement ofHold(MovementKind kind, String sku, String location, int reservedDelta,
                                  int committedDelta, UUID reservationId, Instant at) {
        return new Movement(sku, location, kind, 0, reservedDelta, committedDelta, 0, reservationId, null, null, at);
    }

    /** A change caused by a warehouse event; {@code reason} is the adjustment reason, if any. */
    public static Movement ofEvent(MovementKind kind, String sku, String location, int onHandDelta,
                                   int committedDelta, UUID reservationId, String eventId, String reason, Instant at) {
        return new Movement(sku, location, kind, onHandDelta, 0, committedDelta, 0, reservationId, eventId, reason, at);
    }
}
