package dev.stockroom.availability;

import dev.stockroom.stock.StockView;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/** Availability of one SKU as served from the cache, with the time its figures were read from the database. */
@Schema(name = "Availability", requiredProperties = {"sku", "onHand", "reserved", "committed", "available", "locations",
        "asOf"})
public record AvailabilityView(String sku, long onHand, long reserved, long committed, long available,
                               List<StockView.LocationStock> locations, Instant asOf) {

    static AvailabilityView of(StockView view, Instant asOf) {
        return new AvailabilityView(view.sku(), view.onHand(), view.reserved(), view.committed(), view.available(),
                view.locations(), asOf);
    }
}
