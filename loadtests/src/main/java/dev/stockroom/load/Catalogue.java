package dev.stockroom.load;

import java.util.List;

/**
 * The stock the load runs against: a large catalogue that browsing reads with Zipf-like popularity, and a few hot
 * SKUs, stocked at two warehouses, that every checkout fights over.
 *
 * @param skus      catalogue SKUs ({@code load.catalogue}), one location each
 * @param hotSkus   hot SKUs ({@code load.hot-skus})
 * @param hotStock  units of each hot SKU at each warehouse ({@code load.hot-stock}; the default is the simulation's,
 *                  small enough that the hot SKUs sell out during its load)
 */
public record Catalogue(int skus, int hotSkus, int hotStock) {

    public static final List<String> WAREHOUSES = List.of("WH-EAST", "WH-WEST");

    public static Catalogue fromSystemProperties(int defaultHotStock) {
        return new Catalogue(Integer.getInteger("load.catalogue", 20_000), Integer.getInteger("load.hot-skus", 5),
                Integer.getInteger("load.hot-stock", defaultHotStock));
    }

    /** The i-th catalogue SKU, 0-based; rank 0 is the most popular. */
    public static String sku(int i) {
        return "CAT-%06d".formatted(i);
    }

    public static String hot(int i) {
        return "HOT-%02d".formatted(i);
    }

    /** Units of a catalogue SKU: varied, never zero, so that reads see real figures. */
    public static int catalogueStock(int i) {
        return 20 + i % 180;
    }
}
