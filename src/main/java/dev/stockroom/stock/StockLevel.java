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

    /** What {@link #available()} is computed from, in SQL, for the stock_level row {@code alias}; may be negative. */
    static String availableIn(String alias) {
        return "(" + alias + ".on_hand - " + alias + ".reserved - " + alias + ".committed - " + alias
                + ".safety_stock)";
    }

    public int available() {
        return Math.max(0, onHand - reserved - committed - safetyStock);
    }

    /** The level after a movement; version and time stay as the database last wrote them. */
    StockLevel plus(Movement m) {
        return new StockLevel(sku, location, onHand + m.onHandDelta(), reserved + m.reservedDelta(),
                committed + m.committedDelta(), safetyStock + m.safetyStockDelta(), version, updatedAt);
    }
}
