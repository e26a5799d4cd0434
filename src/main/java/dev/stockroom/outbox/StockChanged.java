package dev.stockroom.outbox;

import java.time.Instant;

/**
 * The data of a {@code stock.changed} event: a stock level as a committed change left it. {@code version} grows by
 * one with every change of the (sku, location), so a consumer keeps the highest it has seen.
 */
public record StockChanged(String sku, String location, int onHand, int reserved, int committed, int safetyStock,
                           int available, long version, Instant changedAt) {
}
