package dev.stockroom.outbox;

import dev.stockroom.stock.StockLevel;

import java.time.Instant;

/**
 * The data of a {@code stock.changed} event: a stock level as a committed change left it. {@code version} grows by
 * one with every change of the (sku, location), so a consumer keeps the highest it has seen.
 */
public record StockChanged(String sku, String location, int onHand, int reserved, int committed, int safetyStock,
                           int available, long version, Instant changedAt) {

    /** The event of a stock level as a change left it; {@code available} as the stock API shows it. */
    static StockChanged of(StockLevel level, boolean locationActive) {
        return new StockChanged(level.sku(), level.location(), level.onHand(), level.reserved(), level.committed(),
                level.safetyStock(), level.available(locationActive), level.version(), level.updatedAt());
    }
}
