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

    /** The most any quantity of one stock level can be: the database keeps them as {@code integer}. */
    public static final int MAX_QUANTITY = Integer.MAX_VALUE;

    /**
     * What {@link #available()} is computed from, in SQL, for the stock_level row {@code alias}; may be negative. In
     * bigint: promises far above what is left on hand would take an integer difference past its range, which
     * PostgreSQL refuses with an error.
     */
    static String availableIn(String alias) {
        return "(" + alias + ".on_hand::bigint - " + alias + ".reserved - " + alias + ".committed - " + alias
                + ".safety_stock)";
    }

    public int available() {
        // In long: promises far above what is left on hand would take an int difference past its range.
        return (int) Math.max(0, (long) onHand - reserved - committed - safetyStock);
    }

    /**
     * What can be sold here, given whether the location is active: {@link #available()}, or nothing at an inactive
     * location, which holds are never sourced from. Every view of availability (the stock API, the change events,
     * the hold decisions) uses this one rule.
     */
    public int available(boolean locationActive) {
        return locationActive ? available() : 0;
    }

    /** The level after a movement; version and time stay as the database last wrote them. */
    StockLevel plus(Movement m) {
        return new StockLevel(sku, location, onHand + m.onHandDelta(), reserved + m.reservedDelta(),
                committed + m.committedDelta(), safetyStock + m.safetyStockDelta(), version, updatedAt);
    }
}
