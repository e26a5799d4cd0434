package dev.stockroom.history;

import dev.stockroom.stock.MovementKind;

import java.time.Instant;
import java.util.UUID;

/** One ledger row as the generator writes it, before the database gives it an id. */
record LedgerRow(String sku, String location, MovementKind kind, int onHandDelta, int reservedDelta,
                 int committedDelta, int safetyStockDelta, UUID reservationId, String eventId, String reason,
                 Instant occurredAt, Instant recordedAt) {
}
