package dev.stockroom.history;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * Stock flow over a range of UTC days, period by period, every period present (zero when nothing moved).
 *
 * @param sku      the SKU reported on, or null for a whole location
 * @param location the location reported on, or null for one SKU everywhere
 * @param asOf     when the report was read: it includes every movement committed before then
 */
public record StockFlowReport(LocalDate from, LocalDate to,
                              @Schema(enumeration = {
                                      "day", "week", "month"}) Granularity granularity,
                              @Schema(nullable = true) String sku, @Schema(nullable = true) String location,
                              Instant asOf,
                              List<FlowPeriod> periods) {
}
