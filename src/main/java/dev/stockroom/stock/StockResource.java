package dev.stockroom.stock;

import dev.stockroom.platform.Identifiers;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.platform.Shed;
import dev.stockroom.platform.openapi.ProblemResponses;
import dev.stockroom.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;
import java.util.List;

/** Stock corrections. Availability reads live in {@code dev.stockroom.availability}, served from its cache. */
@Path("/v1/stock/{sku}/locations/{location}")
@Tag(name = "Stock")
public class StockResource {

    private final StockService stock;

    StockResource(StockService stock) {
        this.stock = stock;
    }

    /** The body of a correction. {@code safetyStock} left out keeps its current value. */
    public record StockCorrection(
                                  @Schema(format = "int32") @NotNull @Min(0) @Max(1_000_000_000) Integer onHand,
                                  @Schema(nullable = true, format = "int32", description = "Left out (or null), the current safety stock is kept") @Min(0) @Max(1_000_000_000) Integer safetyStock,
                                  @Schema(nullable = true, description = "Why, for the ledger; no control characters") @Size(max = 200) String reason) {
    }

    @PUT
    @Shed
    @RolesAllowed({Roles.WAREHOUSE, Roles.ADMIN})
    @Operation(operationId = "correctStock", summary = "Set on-hand and safety stock of a SKU at a location (an audited correction)")
    @APIResponse(responseCode = "200", description = "Corrected; the SKU's stock at every location", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StockView.class)))
    @APIResponse(responseCode = "201", description = "The SKU's first stock at this location", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = StockView.class)))
    @ProblemResponses({ProblemType.INVALID_REQUEST, ProblemType.LOCATION_NOT_FOUND})
    public Response correct(@Parameter(schema = @Schema(type = SchemaType.STRING, pattern = Identifiers.SKU_REGEX, minLength = 1, maxLength = Identifiers.SKU_MAX_LENGTH)) @PathParam("sku") String sku,
                            @Parameter(schema = @Schema(type = SchemaType.STRING, pattern = Identifiers.LOCATION_REGEX, minLength = 1, maxLength = Identifiers.LOCATION_MAX_LENGTH)) @PathParam("location") String location,
                            @NotNull @Valid StockCorrection correction) throws SQLException {
        Identifiers.sku(sku, "sku");
        Identifiers.location(location, "location");
        boolean created = stock.correct(sku, location, correction.onHand(), correction.safetyStock(),
                correction.reason());
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(stock.find(List.of(sku)).get(sku)).build();
    }
}
