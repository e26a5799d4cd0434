package dev.stockroom.history;

/** What a stock-flow report covers: one SKU everywhere, one SKU at one location, or one location's every SKU. */
public sealed interface FlowScope {

    /** One SKU, summed over every location. */
    record Sku(String sku) implements FlowScope {
    }

    /** One SKU at one location. */
    record SkuAtLocation(String sku, String location) implements FlowScope {
    }

    /** Every SKU at one location. */
    record Location(String location) implements FlowScope {
    }
}
