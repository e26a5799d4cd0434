package dev.stockroom.platform.flags;

import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.exceptions.OpenFeatureError;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * The OpenFeature client of the service: flagd's provider evaluating in-process (targeting rules, fractional
 * rollouts) over the flags that {@link FlagFileSource} accepted. Registered under a domain of its own, so that a
 * library using OpenFeature's global provider never sees or replaces Stockroom's.
 */
@Startup
@ApplicationScoped
class FlagEvaluator {

    static final String DOMAIN = "stockroom";
    private static final Logger LOG = Logger.getLogger(FlagEvaluator.class);

    private final FlagdProvider provider;

    FlagEvaluator(FlagFileSource source, FlagsConfig config) {
        provider = new FlagdProvider(FlagdOptions.builder().resolverType(Config.Resolver.IN_PROCESS)
                .customConnector(source).deadline((int) config.startTimeout().toMillis()).build());
        try {
            OpenFeatureAPI.getInstance().setProviderAndWait(DOMAIN, provider);
        } catch (OpenFeatureError e) {
            // Flags are never a reason not to serve: until they load, every flag gives its off value.
            LOG.errorf("Feature flags not loaded within %s (%s); every flag is off until they are",
                    config.startTimeout(), e.getMessage());
        }
    }

    Client client() {
        return OpenFeatureAPI.getInstance().getClient(DOMAIN);
    }

    @PreDestroy
    void stop() {
        provider.shutdown();
    }
}
