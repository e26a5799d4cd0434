package dev.stockroom.history;

import dev.stockroom.stock.MovementKind;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One page of a SKU's movements, newest first (by {@code occurredAt}, then id).
 *
 * @param nextCursor pass it as {@code cursor} for the next page; null on the last page
 */
public record MovementPage(String sku, List<Movement> items, @Schema(nullable = true) String nextCursor) {

    /**
     * One ledger row: the deltas of one change to one stock level, and what caused it.
     *
     * @param reservationId the hold behind it, if any
     * @param eventId       the warehouse event behind it, if any
     * @param occurredAt    when the change happened
     * @param recordedAt    when it was written to the ledger
     */
    public record Movement(long id, String location, MovementKind kind, int onHandDelta, int reservedDelta,
                           int committedDelta, int safetyStockDelta, @Schema(nullable = true) UUID reservationId,
                           @Schema(nullable = true) String eventId, @Schema(nullable = true) String reason,
                           Instant occurredAt, Instant recordedAt) {
    }
}
