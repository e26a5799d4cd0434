package dev.stockroom.stock;

import java.time.Instant;

/**
 * The quantities of one SKU at one location, as the database returned them.
 *
 * <p>{@code available = onHand - reserved - committed - safetyStock}, never shown below zero: shrinkage can leave a
 * shelf with less than was promised, and then nothing more can be sold there.
 */
public record StockLevel(String sku, String location, int onHand, int reserved, int committed, int safetyStock,
                         long version, Instant updatedAt) {

    public int available() {
        return Math.max(0, onHand - reserved - committed - safetyStock);
    }
}
