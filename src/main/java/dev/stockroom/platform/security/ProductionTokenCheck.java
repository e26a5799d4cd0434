package dev.stockroom.platform.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.Config;

import java.util.List;
import java.util.Optional;

/**
 * Stops the service at startup when its token checks are those of development: no verification key or the
 * development key, no issuer (SmallRye JWT then accepts any {@code iss}), or no audience (a token that the same
 * identity provider issued for another application would be accepted, with whatever roles it carries).
 */
@ApplicationScoped
class ProductionTokenCheck {

    /** Where SmallRye JWT takes keys from; it prefers {@code smallrye.jwt.verify.key.location} when both are set. */
    static final List<String> KEY_LOCATIONS = List.of("smallrye.jwt.verify.key.location",
            "mp.jwt.verify.publickey.location");
    static final List<String> INLINE_KEYS = List.of("mp.jwt.verify.publickey");

    void verify(@Observes StartupEvent start, SecurityConfig security, Config config) {
        if (security.refuseDevKey()) {
            check(config);
        }
    }

    static void check(Config config) {
        new PublicKeyGuard().check(configured(config, INLINE_KEYS), configured(config, KEY_LOCATIONS));
        if (value(config, "mp.jwt.verify.issuer").isEmpty()) {
            throw new IllegalStateException(
                    "No JWT issuer is configured: set STOCKROOM_JWT_ISSUER (mp.jwt.verify.issuer)"
                            + " to the identity provider's issuer, or tokens from any issuer are accepted");
        }
        if (value(config, "mp.jwt.verify.audiences").isEmpty()) {
            throw new IllegalStateException("No JWT audience is configured: set STOCKROOM_JWT_AUDIENCE"
                    + " (mp.jwt.verify.audiences) to the audience the identity provider issues Stockroom's tokens for,"
                    + " or tokens issued for other applications are accepted");
        }
    }

    private static List<PublicKeyGuard.Configured> configured(Config config, List<String> names) {
        return names.stream().flatMap(name -> value(config, name).stream()
                .map(value -> new PublicKeyGuard.Configured(name, value))).toList();
    }

    /** A set value; SmallRye JWT reads {@code NONE} as "not configured". */
    private static Optional<String> value(Config config, String name) {
        return config.getOptionalValue(name, String.class).map(String::strip)
                .filter(v -> !v.isEmpty() && !"NONE".equals(v));
    }
}
