package dev.stockroom.platform.observability;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Tracing is off unless an OTLP endpoint is configured. */
class TracingConfigSourceFactoryTest {

    @Test
    void sdk_noEndpoint_isDisabled() {
        assertThat(config(Map.of()).getOptionalValue("quarkus.otel.sdk.disabled", Boolean.class)).contains(true);
    }

    @Test
    void sdk_endpointConfigured_isLeftOn() {
        for (String endpoint : TracingConfigSourceFactory.ENDPOINTS) {
            assertThat(config(Map.of(endpoint, "http://collector:4317"))
                    .getOptionalValue("quarkus.otel.sdk.disabled", Boolean.class)).as(endpoint).isEmpty();
        }
    }

    @Test
    void sdk_explicitlyEnabledWithoutEndpoint_explicitSettingWins() {
        assertThat(config(Map.of("quarkus.otel.sdk.disabled", "false"))
                .getOptionalValue("quarkus.otel.sdk.disabled", Boolean.class)).contains(false);
    }

    private static SmallRyeConfig config(Map<String, String> properties) {
        return new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(properties, "application.properties", 250))
                .withSources(new TracingConfigSourceFactory())
                .build();
    }
}
