package dev.stockroom.platform.observability;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.inject.Singleton;

/**
 * Publishes histogram buckets for {@code http_server_requests_seconds}, so that Prometheus can compute p99 of holds
 * ({@code uri="/v1/reservations", method="POST"}) across replicas; averages and per-pod quantiles cannot be summed.
 */
@Singleton
public class HttpHistogramFilter implements MeterFilter {

    static final String HTTP_SERVER_REQUESTS = "http.server.requests";

    private final ObservabilityConfig config;

    HttpHistogramFilter(ObservabilityConfig config) {
        this.config = config;
    }

    @Override
    public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig defaults) {
        ObservabilityConfig.HttpHistogram histogram = config.httpHistogram();
        if (!histogram.enabled() || !HTTP_SERVER_REQUESTS.equals(id.getName())) {
            return defaults;
        }
        return DistributionStatisticConfig.builder()
                .percentilesHistogram(true)
                .minimumExpectedValue((double) histogram.min().toNanos())
                .maximumExpectedValue((double) histogram.max().toNanos())
                .build()
                .merge(defaults);
    }
}
