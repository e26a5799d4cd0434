package dev.stockroom.stock;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;

/**
 * Availability of one SKU: totals over all locations, then one entry per location. Inactive locations show their
 * quantities but nothing available, since holds are never sourced from them.
 *
 * <p>Totals are {@code long}: each location may hold up to {@link StockLevel#MAX_QUANTITY}, so a SKU's sum over
 * locations can pass what an {@code int} holds.
 */
@Schema(name = "Stock", requiredProperties = {"sku", "onHand", "reserved", "committed", "available", "locations"})
public record StockView(String sku, long onHand, long reserved, long committed, long available,
                        List<LocationStock> locations) {

    /** The quantities of the SKU at one location. */
    @Schema(requiredProperties = {"location", "onHand", "reserved", "committed", "safetyStock", "available"})
    public record LocationStock(String location, int onHand, int reserved, int committed, int safetyStock,
                                int available) {
    }

    /** Totals and per-location figures of a SKU from its stock levels; inactive locations sell nothing. */
    public static StockView of(String sku, List<StockLevel> levels, java.util.Set<String> inactive) {
        List<LocationStock> entries = levels.stream()
                .map(l -> new LocationStock(l.location(), l.onHand(), l.reserved(), l.committed(), l.safetyStock(),
                        l.available(!inactive.contains(l.location()))))
                .toList();
        return new StockView(sku,
                entries.stream().mapToLong(LocationStock::onHand).sum(),
                entries.stream().mapToLong(LocationStock::reserved).sum(),
                entries.stream().mapToLong(LocationStock::committed).sum(),
                entries.stream().mapToLong(LocationStock::available).sum(),
                entries);
    }
}
