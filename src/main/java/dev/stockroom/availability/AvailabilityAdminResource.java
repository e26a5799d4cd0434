package dev.stockroom.availability;

import dev.stockroom.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.logging.Logger;

/**
 * Operator actions on this replica's availability cache. Invalidating everything makes every SKU a miss at once:
 * the worst refresh storm the cache can meet, which the load tests force on purpose and an operator may need after
 * repairing data behind the service's back.
 */
@Path("/v1/admin/availability")
@Tag(name = "Admin")
public class AvailabilityAdminResource {

    private static final Logger LOG = Logger.getLogger(AvailabilityAdminResource.class);

    private final AvailabilityCache cache;

    AvailabilityAdminResource(AvailabilityCache cache) {
        this.cache = cache;
    }

    @POST
    @Path("/invalidate")
    @RolesAllowed(Roles.ADMIN)
    @Operation(operationId = "invalidateAvailability", summary = "Drop every cached SKU on this replica; the next reads load them again, batched on the read pool")
    @APIResponse(responseCode = "204", description = "Every cached SKU dropped")
    public void invalidate() {
        long dropped = cache.invalidateAll();
        LOG.infof("Availability cache invalidated by an operator: %d SKUs dropped", dropped);
    }
}
