package dev.stockroom.stock;

import dev.stockroom.platform.security.ReadAccessPolicy;
import dev.stockroom.platform.security.Roles;
import io.quarkus.vertx.http.security.AuthorizationPolicy;
import jakarta.annotation.security.RolesAllowed;
import dev.stockroom.platform.Identifiers;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Availability reads and stock corrections. */
@Path("/v1/stock")
@Tag(name = "Stock")
public class StockResource {

    private final StockService stock;
    private final int maxBulkSkus;

    StockResource(StockService stock, @ConfigProperty(name = "stockroom.stock.max-bulk-skus") int maxBulkSkus) {
        this.stock = stock;
        this.maxBulkSkus = maxBulkSkus;
    }

    /** The answer to a bulk read: the SKUs found, and those that have no stock anywhere. */
    public record BulkStockView(List<StockView> items, List<String> unknown) {
    }

    /** The body of a correction. {@code safetyStock} left out keeps its current value. */
    public record StockCorrection(
            @NotNull @Min(0) @Max(1_000_000_000) Integer onHand,
            @Min(0) @Max(1_000_000_000) Integer safetyStock,
            @Size(max = 200) String reason) {
    }

    @GET
    @Path("/{sku}")
    @AuthorizationPolicy(name = ReadAccessPolicy.READ)
    @Operation(summary = "Availability of one SKU, totals and per location")
    public StockView get(@PathParam("sku") String sku) throws SQLException {
        Identifiers.sku(sku, "sku");
        StockView view = stock.find(List.of(sku)).get(sku);
        if (view == null) {
            throw new ProblemException(ProblemType.SKU_NOT_FOUND, "No stock is recorded for SKU '" + sku + "'");
        }
        return view;
    }

    @GET
    @AuthorizationPolicy(name = ReadAccessPolicy.READ)
    @Operation(summary = "Availability of many SKUs at once (repeat the sku parameter)")
    public BulkStockView bulk(@QueryParam("sku") List<String> skus) throws SQLException {
        if (skus == null || skus.isEmpty()) {
            throw ProblemException.invalid("sku", "give at least one sku parameter");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (String sku : skus) {
            distinct.add(Identifiers.sku(sku, "sku"));
        }
        if (distinct.size() > maxBulkSkus) {
            throw ProblemException.invalid("sku", "at most " + maxBulkSkus + " SKUs per request");
        }
        Map<String, StockView> found = stock.find(distinct);
        return new BulkStockView(List.copyOf(found.values()),
                distinct.stream().filter(s -> !found.containsKey(s)).toList());
    }

    @PUT
    @Path("/{sku}/locations/{location}")
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
