package dev.stockroom.stock;

import dev.stockroom.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.stockroom.platform.Identifiers;
import dev.stockroom.platform.Shed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
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
            @NotNull @Min(0) @Max(1_000_000_000) Integer onHand,
            @Min(0) @Max(1_000_000_000) Integer safetyStock,
            @Size(max = 200) String reason) {
    }

    @PUT
    @Shed
    @RolesAllowed({Roles.WAREHOUSE, Roles.ADMIN})
    @Operation(summary = "Set on-hand and safety stock of a SKU at a location (an audited correction)")
    public Response correct(@PathParam("sku") String sku, @PathParam("location") String location,
                            @NotNull @Valid StockCorrection correction) throws SQLException {
        Identifiers.sku(sku, "sku");
        Identifiers.location(location, "location");
        boolean created = stock.correct(sku, location, correction.onHand(), correction.safetyStock(),
                correction.reason());
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(stock.find(List.of(sku)).get(sku)).build();
    }
}
