package dev.stockroom.platform.security;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;

/** Stops the service at startup when it would trust the development signing key, or no key at all. */
@ApplicationScoped
class DevKeyCheck {

    void verify(@Observes StartupEvent start, SecurityConfig config,
                @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> inlineKey,
                @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location) {
        if (config.refuseDevKey()) {
            PublicKeyGuard.withDevKeyFromClassPath().check(inlineKey.filter(DevKeyCheck::set),
                    location.filter(DevKeyCheck::set));
        }
    }

    /** SmallRye JWT reads {@code NONE} as "not configured". */
    private static boolean set(String value) {
        return !value.isBlank() && !"NONE".equals(value.strip());
    }
}
