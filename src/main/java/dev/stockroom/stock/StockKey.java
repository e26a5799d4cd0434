package dev.stockroom.stock;

/** Identifies one stock level: a SKU at a location. Ordered as every writer locks rows, by sku then location. */
public record StockKey(String sku, String location) implements Comparable<StockKey> {

    public static StockKey of(StockLevel level) {
        return new StockKey(level.sku(), level.location());
    }

    @Override
    public int compareTo(StockKey other) {
        int bySku = sku.compareTo(other.sku);
        return bySku != 0 ? bySku : location.compareTo(other.location);
    }
}
