package dev.stockroom.platform.observability;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Turns the OpenTelemetry SDK off unless an OTLP endpoint is configured, so that a service without a collector neither
 * exports to {@code localhost:4317} nor logs an export failure every few seconds.
 *
 * <p>An endpoint counts as configured when {@code quarkus.otel.exporter.otlp.endpoint} or
 * {@code quarkus.otel.exporter.otlp.traces.endpoint} comes from a real source (environment, system property,
 * {@code application.properties}), not from the extension's built-in default. An explicit
 * {@code quarkus.otel.sdk.disabled} anywhere still wins: this source sits below all of them.
 */
public class TracingConfigSourceFactory implements ConfigSourceFactory {

    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    static final List<String> ENDPOINTS = List.of("quarkus.otel.exporter.otlp.endpoint",
            "quarkus.otel.exporter.otlp.traces.endpoint");

    /** Below application.properties (250) and every other real source; above built-in defaults. */
    private static final int ORDINAL = 50;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean endpoint = ENDPOINTS.stream().map(context::getValue).anyMatch(TracingConfigSourceFactory::configured);
        if (endpoint) {
            return List.of();
        }
        return List.of(new PropertiesConfigSource(Map.of(SDK_DISABLED, "true"), "tracing-off-without-endpoint",
                ORDINAL));
    }

    private static boolean configured(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank()
                && value.getSourceOrdinal() >= 100;
    }
}
