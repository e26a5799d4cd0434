package dev.stockroom.history;

import dev.stockroom.platform.Identifiers;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.platform.flags.FeatureFlags;
import dev.stockroom.platform.flags.FlagKey;
import dev.stockroom.platform.openapi.ProblemResponses;
import dev.stockroom.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;

/** Reports over the movement ledger: stock flow and shrinkage, exact to the moment of the request. */
@Path("/v1/reports")
@Tag(name = "Reports")
public class ReportResource {

    /** {@code reports.enabled}: whether the caller may ask for reports; off, they answer 404 as if absent. */
    static final FlagKey.BooleanFlag REPORTS = new FlagKey.BooleanFlag("reports.enabled");

    private final HistoryService history;
    private final HistoryConfig config;
    private final FeatureFlags flags;

    ReportResource(HistoryService history, HistoryConfig config, FeatureFlags flags) {
        this.history = history;
        this.config = config;
        this.flags = flags;
    }

    @GET
    @Path("/stock-flow")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.REPORTING, Roles.ADMIN})
    @ProblemResponses({ProblemType.INVALID_REQUEST, ProblemType.NOT_FOUND, ProblemType.SERVICE_UNAVAILABLE})
    @Operation(operationId = "stockFlowReport", summary = "Units received, shipped, adjusted, counted, transferred, held and released, per period", description = "For one SKU (every location, or one with location), or for every SKU at one location"
            + " (location alone). Days are UTC days; the range [from, to) covers at most "
            + HistoryConfig.MAX_RANGE_DAYS + " days. Every period of the range is listed, the first and last"
            + " cut to the range. Read from the daily rollup plus the movements not yet rolled up.")
    @APIResponse(responseCode = "200", description = "The report", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StockFlowReport.class)))
    public StockFlowReport stockFlow(
                                     @Parameter(description = "First UTC day, inclusive", required = true, schema = @Schema(type = SchemaType.STRING, format = "date")) @QueryParam("from") String from,
                                     @Parameter(description = "UTC day after the last, exclusive", required = true, schema = @Schema(type = SchemaType.STRING, format = "date")) @QueryParam("to") String to,
                                     @Parameter(description = "Length of the periods", schema = @Schema(type = SchemaType.STRING, enumeration = {
                                             "day", "week",
                                             "month"}, defaultValue = "day")) @QueryParam("granularity") String granularity,
                                     @Parameter(description = "The SKU; required unless location is given", schema = @Schema(type = SchemaType.STRING, pattern = Identifiers.SKU_REGEX, maxLength = 64)) @QueryParam("sku") String sku,
                                     @Parameter(description = "The location: with sku, that SKU there only; alone, every SKU there", schema = @Schema(type = SchemaType.STRING, pattern = Identifiers.LOCATION_REGEX, maxLength = 32)) @QueryParam("location") String location) {
        requireEnabled();
        LocalDate start = Params.day(from, "from");
        LocalDate end = Params.day(to, "to");
        Granularity periods = Params.granularity(granularity);
        FlowScope scope;
        if (sku != null) {
            Identifiers.sku(sku, "sku");
            scope = location == null ? new FlowScope.Sku(sku)
                    : new FlowScope.SkuAtLocation(sku, Identifiers.location(location, "location"));
        } else if (location != null) {
            scope = new FlowScope.Location(Identifiers.location(location, "location"));
        } else {
            throw ProblemException.invalid("sku", "give a sku, a location, or both");
        }
        Params.range(start, end, config.maxRangeDays());
        return history.stockFlow(scope, start, end, periods);
    }

    @GET
    @Path("/shrinkage")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.REPORTING, Roles.ADMIN})
    @ProblemResponses({ProblemType.INVALID_REQUEST, ProblemType.NOT_FOUND, ProblemType.SERVICE_UNAVAILABLE})
    @Operation(operationId = "shrinkageReport", summary = "The SKUs that lost the most units to negative adjustments and count differences", description = "Units lost to adjustments, counts and corrections that lowered on-hand, per SKU, most"
            + " first, at one location or everywhere. Days are UTC days; the range [from, to) covers at most "
            + HistoryConfig.MAX_RANGE_DAYS + " days.")
    @APIResponse(responseCode = "200", description = "The report", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ShrinkageReport.class)))
    public ShrinkageReport shrinkage(
                                     @Parameter(description = "First UTC day, inclusive", required = true, schema = @Schema(type = SchemaType.STRING, format = "date")) @QueryParam("from") String from,
                                     @Parameter(description = "UTC day after the last, exclusive", required = true, schema = @Schema(type = SchemaType.STRING, format = "date")) @QueryParam("to") String to,
                                     @Parameter(description = "Only losses at this location", schema = @Schema(type = SchemaType.STRING, pattern = Identifiers.LOCATION_REGEX, maxLength = 32)) @QueryParam("location") String location,
                                     @Parameter(description = "SKUs listed", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = HistoryConfig.MAX_PAGE_SIZE, defaultValue = HistoryConfig.DEFAULT_SHRINKAGE_ITEMS)) @QueryParam("limit") String limit) {
        requireEnabled();
        LocalDate start = Params.day(from, "from");
        LocalDate end = Params.day(to, "to");
        if (location != null) {
            Identifiers.location(location, "location");
        }
        int size = Params.limit(limit, config.defaultShrinkageItems(), config.maxPageSize());
        Params.range(start, end, config.maxRangeDays());
        return history.shrinkage(location, start, end, size);
    }

    private void requireEnabled() {
        if (!flags.enabled(REPORTS)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "Reports are not enabled for this account");
        }
    }
}
