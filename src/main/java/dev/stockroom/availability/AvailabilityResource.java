package dev.stockroom.availability;

import dev.stockroom.platform.Identifiers;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.platform.security.ReadAccessPolicy;
import io.quarkus.vertx.http.security.AuthorizationPolicy;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Availability reads, served from the cache; each answer tells how fresh it is. */
@Path("/v1/stock")
@Tag(name = "Stock")
public class AvailabilityResource {

    /** RFC 9211. */
    static final String CACHE_STATUS = "Cache-Status";

    private final AvailabilityCache cache;
    private final int maxBulkSkus;

    AvailabilityResource(AvailabilityCache cache,
                         @ConfigProperty(name = "stockroom.stock.max-bulk-skus") int maxBulkSkus) {
        this.cache = cache;
        this.maxBulkSkus = maxBulkSkus;
    }

    /** The answer to a bulk read: the SKUs found, and those that have no stock anywhere. */
    public record BulkAvailabilityView(List<AvailabilityView> items, List<String> unknown) {
    }

    @GET
    @Path("/{sku}")
    @AuthorizationPolicy(name = ReadAccessPolicy.READ)
    @Operation(summary = "Availability of one SKU, totals and per location (from the cache; see Cache-Status)")
    public Response get(@PathParam("sku") String sku) {
        Identifiers.sku(sku, "sku");
        AvailabilityCache.Served served = cache.read(List.of(sku)).get(0);
        if (!served.entry().known()) {
            throw new ProblemException(ProblemType.SKU_NOT_FOUND, "No stock is recorded for SKU '" + sku + "'");
        }
        return Response.ok(served.entry().view())
                .header(CACHE_STATUS, CacheStatusHeader.of(served.status())).build();
    }

    @GET
    @AuthorizationPolicy(name = ReadAccessPolicy.READ)
    @Operation(summary = "Availability of many SKUs at once (repeat the sku parameter)")
    public Response bulk(@QueryParam("sku") List<String> skus) {
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
        List<AvailabilityView> items = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        CacheStatus status = CacheStatus.HIT;
        for (AvailabilityCache.Served served : cache.read(List.copyOf(distinct))) {
            status = status.and(served.status());
            if (served.entry().known()) {
                items.add(served.entry().view());
            } else {
                unknown.add(served.sku());
            }
        }
        return Response.ok(new BulkAvailabilityView(items, unknown))
                .header(CACHE_STATUS, CacheStatusHeader.of(status)).build();
    }
}
