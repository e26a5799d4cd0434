package dev.stockroom.reservation;

import dev.stockroom.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import dev.stockroom.platform.Identifiers;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.platform.Shed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriBuilder;
import io.vertx.core.Vertx;
import org.eclipse.microprofile.openapi.annotations.Operation;
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

    ReservationResource(ReservationService reservations) {
        this.reservations = reservations;
    }

    /**
     * Runs on the event loop and waits for nothing: the hold engine answers later, and the answer is written back on
     * the request's own event loop, so the thread that decided the hold goes straight on to the next batch.
     */
    @POST
    @Operation(summary = "Hold stock for a checkout: every line or none")
    public CompletionStage<Response> reserve(@HeaderParam(IDEMPOTENCY_KEY) String idempotencyKey,
                                             @NotNull @Valid HoldRequest request, @Context UriInfo uri) {
        UriBuilder location = uri.getBaseUriBuilder().path("v1/reservations");
        var context = Vertx.currentContext();
        Executor onEventLoop = task -> context.runOnContext(ignored -> task.run());
        // Both outcomes move to the event loop: refusals (409) are as common as grants in a sell-out.
        return reservations.reserve(Identifiers.idempotencyKey(idempotencyKey), request)
                .whenCompleteAsync((outcome, refusal) -> { }, onEventLoop)
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
    @Operation(summary = "Read a reservation")
    public ReservationView get(@PathParam("id") String id) {
        java.util.UUID uuid = Identifiers.uuid(id, "id");
        return reservations.find(uuid).orElseThrow(
                () -> new ProblemException(ProblemType.RESERVATION_NOT_FOUND, "No reservation " + id));
    }

    @POST
    @Shed
    @Path("/{id}/commit")
    @Operation(summary = "Commit a hold to an order (HELD → COMMITTED)")
    public ReservationView commit(@PathParam("id") String id) throws SQLException {
        return reservations.commit(Identifiers.uuid(id, "id"));
    }

    @DELETE
    @Shed
    @Path("/{id}")
    @Operation(summary = "Release a hold, or cancel a committed order; repeating it changes nothing")
    public ReservationView release(@PathParam("id") String id) throws SQLException {
        return reservations.release(Identifiers.uuid(id, "id"));
    }
}
