package dev.stockroom.availability;

import dev.stockroom.platform.Identifiers;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.platform.openapi.ProblemResponses;
import dev.stockroom.platform.security.ReadAccessPolicy;
import io.quarkus.vertx.http.security.AuthorizationPolicy;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
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
    private static final String CACHE_STATUS_MEANING = "How fresh the answer is (RFC 9211): `stockroom; hit`,"
            + " `stockroom; hit; detail=stale` or `stockroom; fwd=miss; stored`; a bulk read reports its stalest SKU";
    /** Default of {@code stockroom.stock.max-bulk-skus}, stated in the API description. */
    static final int MAX_BULK_SKUS = 500;

    /** A SKU as the API description states it. */
    @Schema(name = "Sku", type = SchemaType.STRING, pattern = Identifiers.SKU_REGEX, minLength = 1, maxLength = Identifiers.SKU_MAX_LENGTH, examples = "SHOE-RED-42")
    interface Sku {
    }

    private final AvailabilityCache cache;
    private final int maxBulkSkus;

    AvailabilityResource(AvailabilityCache cache,
                         @ConfigProperty(name = "stockroom.stock.max-bulk-skus", defaultValue = ""
                                 + MAX_BULK_SKUS) int maxBulkSkus) {
        this.cache = cache;
        this.maxBulkSkus = maxBulkSkus;
    }

    /** The answer to a bulk read: the SKUs found, and those that have no stock anywhere. */
    @Schema(name = "BulkAvailability", requiredProperties = {"items", "unknown"})
    public record BulkAvailabilityView(List<AvailabilityView> items, List<String> unknown) {
    }

    @GET
    @Path("/{sku}")
    @AuthorizationPolicy(name = ReadAccessPolicy.READ)
    @Operation(operationId = "getAvailability", summary = "Availability of one SKU, totals and per location (from the cache; see Cache-Status)")
    @APIResponse(responseCode = "200", description = "The SKU's availability", headers = @Header(name = CACHE_STATUS, description = CACHE_STATUS_MEANING, required = true, schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = AvailabilityView.class)))
    @ProblemResponses({ProblemType.INVALID_REQUEST, ProblemType.SKU_NOT_FOUND, ProblemType.SERVICE_UNAVAILABLE})
    public Response get(@Parameter(schema = @Schema(type = SchemaType.STRING, pattern = Identifiers.SKU_REGEX, minLength = 1, maxLength = Identifiers.SKU_MAX_LENGTH)) @PathParam("sku") String sku) {
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
    @Operation(operationId = "getAvailabilities", summary = "Availability of many SKUs at once (repeat the sku parameter)")
    @APIResponse(responseCode = "200", description = "The SKUs found, and those with no stock anywhere", headers = @Header(name = CACHE_STATUS, description = CACHE_STATUS_MEANING, required = true, schema = @Schema(type = SchemaType.STRING)), content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = BulkAvailabilityView.class)))
    @ProblemResponses({ProblemType.INVALID_REQUEST, ProblemType.SERVICE_UNAVAILABLE})
    public Response bulk(@Parameter(required = true, explode = org.eclipse.microprofile.openapi.annotations.enums.Explode.TRUE, description = "SKUs to read, one parameter each; repeated SKUs are read once."
            + " The bound is the default of stockroom.stock.max-bulk-skus", schema = @Schema(type = SchemaType.ARRAY, minItems = 1, maxItems = MAX_BULK_SKUS, implementation = Sku.class)) @QueryParam("sku") List<String> skus) {
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
