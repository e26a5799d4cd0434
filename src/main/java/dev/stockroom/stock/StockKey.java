package dev.stockroom.stock;

import java.util.Comparator;
import java.util.function.Function;

/**
 * Identifies one stock level: a SKU at a location. Ordered as every writer locks stock rows: byte order of
 * (sku, location), defined here once for Java ({@link #lockOrder}) and for SQL ({@link #lockOrderIn}).
 *
 * <p>Why byte order: two transactions that lock the same rows in the same order cannot deadlock, so holds, commits,
 * releases, the expiry sweeper and warehouse batches must agree on one order wherever it is computed. A plain SQL
 * {@code ORDER BY sku} follows the database's collation, which on most managed databases is a language's
 * ({@code en_US.UTF-8} sorts {@code SHOERACK-1} before {@code SHOE-RED-42}, and {@code alpha} before {@code Zeta}),
 * while Java sorts strings by UTF-16 units. Byte order of UTF-8 is the one order both sides can state exactly:
 * {@code COLLATE "C"} in SQL, code point order in Java.
 */
public record StockKey(String sku, String location) implements Comparable<StockKey> {

    /** Strings in byte order of their UTF-8 encoding, which is code point order: SQL's {@code COLLATE "C"}. */
    public static final Comparator<String> BYTE_ORDER = StockKey::compareCodePoints;

    private static final Comparator<StockKey> LOCK_ORDER = lockOrder(StockKey::sku, StockKey::location);

    public static StockKey of(StockLevel level) {
        return new StockKey(level.sku(), level.location());
    }

    /** The lock order in SQL, for {@code ORDER BY ... FOR UPDATE} over the rows of {@code stock_level} {@code alias}. */
    static String lockOrderIn(String alias) {
        return alias + ".sku COLLATE \"C\", " + alias + ".location COLLATE \"C\"";
    }

    /** The least key of {@code sku}: every (sku, location) comes at or after it. */
    static StockKey firstOf(String sku) {
        return new StockKey(sku, "");
    }

    /** The least key after every key of {@code sku}. */
    static StockKey firstAfter(String sku) {
        return new StockKey(sku + '\0', "");
    }

    /**
     * The lock order of anything that names stock levels, such as the lines of a hold. A line without a location
     * (the only line of its SKU, sourced by Stockroom) comes after the SKU's located lines.
     */
    public static <T> Comparator<T> lockOrder(Function<T, String> sku, Function<T, String> location) {
        return Comparator.comparing(sku, BYTE_ORDER).thenComparing(location, Comparator.nullsLast(BYTE_ORDER));
    }

    @Override
    public int compareTo(StockKey other) {
        return LOCK_ORDER.compare(this, other);
    }

    @Override
    public String toString() {
        return sku + "@" + location;
    }

    // String.compareTo compares UTF-16 units, which orders characters beyond U+FFFF before U+E000..U+FFFF.
    private static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int x = a.codePointAt(i);
            int y = b.codePointAt(j);
            if (x != y) {
                return Integer.compare(x, y);
            }
            i += Character.charCount(x);
            j += Character.charCount(y);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
