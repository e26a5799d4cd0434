package dev.stockroom.platform.flags;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.logging.Logger;

/**
 * A test-only endpoint that takes one of two paths by a flag, as a feature does: it proves the flag mechanism end
 * to end (token, evaluation, metrics, log) without any feature of the product behind it.
 */
@Path("/test/flag-probe")
public class FlagProbeResource {

    /** Two engines, as {@code holds.engine} chooses between the direct and the combining hold engine. */
    public enum Engine {
        DIRECT,
        COMBINING
    }

    static final FlagKey.VariantFlag<Engine> ENGINE = new FlagKey.VariantFlag<>("holds.engine", Engine.class,
            Engine.DIRECT);
    static final FlagKey.BooleanFlag REPORTS = new FlagKey.BooleanFlag("reports.enabled");
    static final String LOGGER = "dev.stockroom.platform.flags.probe";

    private static final Logger LOG = Logger.getLogger(LOGGER);

    private final FeatureFlags flags;

    FlagProbeResource(FeatureFlags flags) {
        this.flags = flags;
    }

    @GET
    @Operation(hidden = true)
    @Path("holds-engine")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({"storefront", "admin"})
    public String holdsEngine() {
        Engine engine = flags.variant(ENGINE);
        LOG.infof("probe served by the %s engine", engine);
        return engine == Engine.COMBINING ? "combining path" : "direct path";
    }

    @GET
    @Operation(hidden = true)
    @Path("reports")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({"storefront", "admin"})
    public String reports() {
        return flags.enabled(REPORTS) ? "reports on" : "reports off";
    }
}
