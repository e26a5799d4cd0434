package dev.stockroom.history;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * The SKUs that lost the most units over a range of UTC days, most first (ties by SKU).
 *
 * @param location the location reported on, or null for every location
 * @param asOf     when the report was read: it includes every movement committed before then
 */
public record ShrinkageReport(LocalDate from, LocalDate to, @Schema(nullable = true) String location, Instant asOf,
                              List<ShrinkageItem> items) {

    /**
     * Units one SKU lost: to negative adjustments (damaged, lost, stolen, …), to counts that found less than
     * recorded, and to corrections through the API that lowered on-hand.
     *
     * @param lost the sum of the three
     */
    public record ShrinkageItem(String sku, long lost, long adjusted, long counted, long corrected) {
    }
}
