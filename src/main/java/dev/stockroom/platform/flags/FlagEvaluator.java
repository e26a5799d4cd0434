package dev.stockroom.platform.flags;

import dev.openfeature.contrib.providers.flagd.Config;
import dev.openfeature.contrib.providers.flagd.FlagdOptions;
import dev.openfeature.contrib.providers.flagd.FlagdProvider;
import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The OpenFeature client of the service: flagd's provider evaluating in-process (targeting rules, fractional
 * rollouts) over the flags that {@link FlagFileSource} accepted. Registered under a domain of its own, so that a
 * library using OpenFeature's global provider never sees or replaces Stockroom's.
 */
@Startup
@ApplicationScoped
class FlagEvaluator {

    static final String DOMAIN = "stockroom";

    private final FlagdProvider provider;

    FlagEvaluator(FlagFileSource source) {
        provider = new FlagdProvider(FlagdOptions.builder().resolverType(Config.Resolver.IN_PROCESS)
                .customConnector(source).build());
        OpenFeatureAPI.getInstance().setProviderAndWait(DOMAIN, provider);
    }

    Client client() {
        return OpenFeatureAPI.getInstance().getClient(DOMAIN);
    }

    @PreDestroy
    void stop() {
        provider.shutdown();
    }
}
