package dev.stockroom.stock;

import java.util.Comparator;

/**
 * Identifies one stock level: a SKU at a location. Its natural order is the one lock order of every writer of
 * stock: byte order of the SKU, then of the location, which is what {@link #lockOrder} sorts by in the database
 * whatever its collation. Two writers that lock rows in one order cannot deadlock on them.
 */
public record StockKey(String sku, String location) implements Comparable<StockKey> {

    /**
     * Byte order of identifiers. SKUs and location codes are ASCII (see the API's identifier rules), where UTF-16
     * code unit order, code point order and UTF-8 byte order agree: {@code "SHOE-RED-42" < "SHOERACK-1"} and
     * {@code "Zeta" < "alpha"}, unlike many database collations.
     */
    public static final Comparator<String> BYTE_ORDER = Comparator.naturalOrder();


    private static final Comparator<StockKey> ORDER = Comparator.comparing(StockKey::sku, BYTE_ORDER)
            .thenComparing(StockKey::location, BYTE_ORDER);

    /** The lock order in SQL, for the {@code ORDER BY} of a statement that locks rows of stock_level {@code alias}. */
    static String lockOrder(String alias) {
        return alias + ".sku COLLATE \"C\", " + alias + ".location COLLATE \"C\"";
    }

    public static StockKey of(StockLevel level) {
        return new StockKey(level.sku(), level.location());
    }

    /** The least key of {@code sku}: every (sku, location) comes at or after it. */
    static StockKey firstOf(String sku) {
        return new StockKey(sku, "");
    }

    /** The least key after every key of {@code sku}. */
    static StockKey firstAfter(String sku) {
        return new StockKey(sku + '\0', "");
    }

    @Override
    public int compareTo(StockKey other) {
        return ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return sku + "@" + location;
    }
}
