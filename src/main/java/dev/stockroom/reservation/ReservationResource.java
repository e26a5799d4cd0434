package dev.stockroom.reservation;

import dev.stockroom.platform.Identifiers;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.platform.Shed;
import dev.stockroom.platform.openapi.ProblemResponses;
import dev.stockroom.platform.security.Roles;
import io.vertx.core.Vertx;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.sql.SQLException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** Holds at checkout: place, read, commit, release. */
@Path("/v1/reservations")
@RolesAllowed({Roles.STOREFRONT, Roles.ADMIN})
@Tag(name = "Reservations")
public class ReservationResource {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String REPLAYED = "Idempotent-Replayed";

    private final ReservationService reservations;
    private final HoldRequestValidation validation;

    ReservationResource(ReservationService reservations, HoldRequestValidation validation) {
        this.reservations = reservations;
        this.validation = validation;
    }

    /**
     * Runs on the event loop and waits for nothing: the hold engine answers later, and the answer is written back on
     * the request's own event loop, so the thread that decided the hold goes straight on to the next batch.
     */
    @POST
    @Operation(operationId = "reserve", summary = "Hold stock for a checkout: every line or none")
    @APIResponse(responseCode = "201", description = "Held; or, for a retry with the same Idempotency-Key, the"
            + " reservation as it is now (with Idempotent-Replayed: true)", headers = {
                    @Header(name = "Location", description = "The reservation's URL", required = true, schema = @Schema(type = SchemaType.STRING, format = "uri-reference")),
                    @Header(name = REPLAYED, description = "`true` when this answers a retry", schema = @Schema(type = SchemaType.STRING, enumeration = "true"))}, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ReservationView.class)))
    @ProblemResponses({ProblemType.INVALID_REQUEST, ProblemType.INSUFFICIENT_STOCK, ProblemType.UNKNOWN_LOCATION,
            ProblemType.IDEMPOTENCY_KEY_REUSED, ProblemType.SERVICE_UNAVAILABLE})
    public CompletionStage<Response> reserve(
                                             @Parameter(name = IDEMPOTENCY_KEY, description = "Makes retries safe: a retry with the same key"
                                                     + " and body is answered with the reservation instead of holding again", schema = @Schema(type = SchemaType.STRING, pattern = Identifiers.IDEMPOTENCY_KEY_REGEX, minLength = 1, maxLength = Identifiers.IDEMPOTENCY_KEY_MAX_LENGTH)) @HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                                             @RequestBody(required = true) HoldRequest request, @Context UriInfo uri,
                                             @Context HttpHeaders headers) {
        validation.check(request);
        // An empty header reaches the parameter as null, as if none was sent: it is refused, not ignored.
        String key = idempotencyKey != null ? idempotencyKey : headers.getHeaderString(IDEMPOTENCY_KEY);
        UriBuilder location = uri.getBaseUriBuilder().path("v1/reservations");
        var context = Vertx.currentContext();
        Executor onEventLoop = task -> context.runOnContext(ignored -> task.run());
        // Both outcomes move to the event loop: refusals (409) are as common as grants in a sell-out.
        return reservations.reserve(Identifiers.idempotencyKey(key), request)
                .whenCompleteAsync((outcome, refusal) -> {
                }, onEventLoop)
                .thenApply(outcome -> {
                    Response.ResponseBuilder response = Response
                            .created(location.path(outcome.reservation().id().toString()).build())
                            .entity(outcome.reservation());
                    if (outcome.replayed()) {
                        response.header(REPLAYED, "true");
                    }
                    return response.build();
                });
    }

    @GET
    @Path("/{id}")
    @Operation(operationId = "getReservation", summary = "Read a reservation")
    @ProblemResponses({ProblemType.INVALID_REQUEST, ProblemType.RESERVATION_NOT_FOUND, ProblemType.SERVICE_UNAVAILABLE})
    public ReservationView get(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid", pattern = Identifiers.UUID_REGEX)) @PathParam("id") String id) {
        java.util.UUID uuid = Identifiers.uuid(id, "id");
        return reservations.find(uuid).orElseThrow(
                () -> new ProblemException(ProblemType.RESERVATION_NOT_FOUND, "No reservation " + id));
    }

    @POST
    @Shed
    @Path("/{id}/commit")
    @Operation(operationId = "commitReservation", summary = "Commit a hold to an order (HELD → COMMITTED);"
            + " committing a committed reservation again changes nothing")
    @ProblemResponses({ProblemType.INVALID_REQUEST, ProblemType.RESERVATION_NOT_FOUND, ProblemType.HOLD_EXPIRED,
            ProblemType.INVALID_STATE})
    public ReservationView commit(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid", pattern = Identifiers.UUID_REGEX)) @PathParam("id") String id)
            throws SQLException {
        return reservations.commit(Identifiers.uuid(id, "id"));
    }

    @DELETE
    @Shed
    @Path("/{id}")
    @Operation(operationId = "releaseReservation", summary = "Release a hold, or cancel a committed order; repeating it changes nothing")
    @ProblemResponses({ProblemType.INVALID_REQUEST, ProblemType.RESERVATION_NOT_FOUND, ProblemType.INVALID_STATE})
    public ReservationView release(@Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid", pattern = Identifiers.UUID_REGEX)) @PathParam("id") String id)
            throws SQLException {
        return reservations.release(Identifiers.uuid(id, "id"));
    }
}
