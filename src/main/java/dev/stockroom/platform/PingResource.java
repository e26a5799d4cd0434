package dev.stockroom.platform;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The cheapest answer the HTTP stack can give: no database, no cache, no checks. It is the reference that
 * availability read throughput is measured against (README, Performance); health probes live under {@code /q}.
 */
@Path("/v1/ping")
@Tag(name = "Platform")
public class PingResource {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(summary = "Answers pong; a reference for throughput measurements")
    public String ping() {
        return "pong";
    }
}
