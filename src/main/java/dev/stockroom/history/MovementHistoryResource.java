package dev.stockroom.history;

import dev.stockroom.platform.Identifiers;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.platform.openapi.ProblemResponses;
import dev.stockroom.platform.security.Roles;
import dev.stockroom.stock.MovementKind;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** A SKU's movement history: the ledger rows, newest first, page by page. */
@Path("/v1/stock/{sku}/movements")
@Tag(name = "History")
public class MovementHistoryResource {

    private final HistoryService history;
    private final HistoryConfig config;
    private final Clock clock;

    MovementHistoryResource(HistoryService history, HistoryConfig config, Clock clock) {
        this.history = history;
        this.config = config;
        this.clock = clock;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.REPORTING, Roles.ADMIN})
    @ProblemResponses({ProblemType.INVALID_REQUEST, ProblemType.SERVICE_UNAVAILABLE})
    @Operation(operationId = "listMovements", summary = "A SKU's movements, newest first, page by page", description = "Every change of a quantity of the SKU (at every location, or one), as the ledger recorded"
            + " it. Pages are read by keyset: pass the previous page's nextCursor as cursor; rows written while"
            + " paging are never returned twice and never make another row be skipped. The range [from, to)"
            + " covers at most " + HistoryConfig.MAX_RANGE_DAYS + " days; from defaults to that many days"
            + " before to (or now), and without to the range is open towards now.")
    @APIResponse(responseCode = "200", description = "One page of movements", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MovementPage.class)))
    public MovementPage movements(
                                  @Parameter(description = "The SKU", schema = @Schema(type = SchemaType.STRING, pattern = Identifiers.SKU_REGEX, maxLength = 64)) @PathParam("sku") String sku,
                                  @Parameter(description = "Only movements at this location", schema = @Schema(type = SchemaType.STRING, pattern = Identifiers.LOCATION_REGEX, maxLength = 32)) @QueryParam("location") String location,
                                  @Parameter(description = "Only movements of this kind", schema = @Schema(implementation = MovementKind.class)) @QueryParam("kind") String kind,
                                  @Parameter(description = "Earliest occurredAt, inclusive: a date-time, or a date meaning its UTC midnight", schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("from") String from,
                                  @Parameter(description = "Latest occurredAt, exclusive: a date-time, or a date meaning its UTC midnight", schema = @Schema(type = SchemaType.STRING, format = "date-time")) @QueryParam("to") String to,
                                  @Parameter(description = "Movements per page", schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = HistoryConfig.MAX_PAGE_SIZE, defaultValue = HistoryConfig.DEFAULT_PAGE_SIZE)) @QueryParam("limit") String limit,
                                  @Parameter(description = "The nextCursor of the previous page", schema = @Schema(type = SchemaType.STRING, pattern = "[A-Za-z0-9_-]{1,80}")) @QueryParam("cursor") String cursor) {
        Identifiers.sku(sku, "sku");
        if (location != null) {
            Identifiers.location(location, "location");
        }
        MovementKind movementKind = Params.kind(kind);
        Instant end = Params.instant(to, "to");
        Instant start = Params.instant(from, "from");
        // Without to, the range runs up to now for the purpose of its length.
        Instant upper = end != null ? end : clock.instant();
        if (start == null) {
            start = upper.minus(Duration.ofDays(config.maxRangeDays()));
        }
        if (end != null || start.isBefore(upper)) {
            Params.range(start, upper, config.maxRangeDays());
        }
        int size = Params.limit(limit, config.defaultPageSize(), config.maxPageSize());
        return history.movements(sku, location, movementKind, start, end, size, cursor);
    }
}
