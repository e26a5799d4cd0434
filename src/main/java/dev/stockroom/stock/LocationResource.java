package dev.stockroom.stock;

import dev.stockroom.platform.DatabaseTime;
import dev.stockroom.platform.Identifiers;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.platform.openapi.ProblemResponses;
import dev.stockroom.platform.security.ReadAccessPolicy;
import dev.stockroom.platform.security.Roles;
import io.quarkus.vertx.http.security.AuthorizationPolicy;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
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

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Warehouses and stores. */
@Path("/v1/locations")
@Tag(name = "Locations")
public class LocationResource {

    private final Clock clock;

    LocationResource(Clock clock) {
        this.clock = clock;
    }

    /** A location as the API shows it. */
    @Schema(name = "Location", requiredProperties = {"code", "name", "kind", "priority", "active", "updatedAt"})
    public record LocationView(String code, String name, LocationKind kind, int priority, boolean active,
                               Instant updatedAt) {
        static LocationView of(Location l) {
            return new LocationView(l.code, l.name, l.kind, l.priority, l.active, l.updatedAt);
        }
    }

    /** The body of a create-or-update. */
    public record LocationRequest(
                                  @Schema(description = "Display name; no control characters") @NotBlank @Size(max = 200) String name,
                                  @NotNull LocationKind kind,
                                  @Schema(format = "int32", description = "Sourcing order: lower numbers are preferred") @NotNull @Min(0) @Max(1_000_000) Integer priority,
                                  @NotNull Boolean active) {
    }

    @GET
    @AuthorizationPolicy(name = ReadAccessPolicy.READ)
    @Operation(operationId = "listLocations", summary = "List locations, lowest priority number first")
    @ProblemResponses(ProblemType.SERVICE_UNAVAILABLE)
    public List<LocationView> list() {
        return Location.listByPriority().stream().map(LocationView::of).toList();
    }

    @PUT
    @Path("/{code}")
    @RolesAllowed(Roles.ADMIN)
    @Transactional
    @Operation(operationId = "putLocation", summary = "Create or update a location")
    @APIResponse(responseCode = "200", description = "Updated", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LocationView.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = LocationView.class)))
    @ProblemResponses({ProblemType.INVALID_REQUEST, ProblemType.SERVICE_UNAVAILABLE})
    public Response put(@Parameter(schema = @Schema(type = SchemaType.STRING, pattern = Identifiers.LOCATION_REGEX, minLength = 1, maxLength = Identifiers.LOCATION_MAX_LENGTH)) @PathParam("code") String code,
                        @NotNull @Valid LocationRequest request) {
        Identifiers.location(code, "code");
        Location location = Location.findById(code);
        boolean created = location == null;
        if (created) {
            location = new Location();
            location.code = code;
        }
        location.name = request.name().strip();
        location.kind = request.kind();
        location.priority = request.priority();
        location.active = request.active();
        location.updatedAt = DatabaseTime.now(clock);
        location.persist();
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(LocationView.of(location)).build();
    }
}
