package dev.stockroom.platform;

import dev.stockroom.platform.security.ReadAccessPolicy;
import io.quarkus.vertx.http.security.AuthorizationPolicy;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The cheapest answer the HTTP stack can give: no database, no cache, no checks. It is the reference that
 * availability read throughput is measured against (README, Performance); health probes live under {@code /q}.
 * It takes the same read policy as availability reads, so that both cost the same to authorize.
 */
@Path("/v1/ping")
@Tag(name = "Platform")
public class PingResource {

    @GET
    @AuthorizationPolicy(name = ReadAccessPolicy.READ)
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(operationId = "ping", summary = "Answers pong; a reference for throughput measurements")
    @APIResponse(responseCode = "200", description = "`pong`", content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(type = SchemaType.STRING, enumeration = "pong")))
    public String ping() {
        return "pong";
    }
}
