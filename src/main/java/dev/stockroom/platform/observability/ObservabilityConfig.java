package dev.stockroom.platform.observability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Request ids and the latency histogram of HTTP requests. */
@ConfigMapping(prefix = "stockroom.observability")
public interface ObservabilityConfig {

    /** Latency histogram of {@code http_server_requests_seconds}. */
    HttpHistogram httpHistogram();

    /** Longest incoming {@code X-Request-Id} that is kept; a longer or oddly shaped one is replaced by a new id. */
    @WithDefault("128")
    int maxRequestIdLength();

    /** Bounds of the histogram buckets: the range where p99 alerts must be exact. */
    interface HttpHistogram {

        /** Whether {@code http_server_requests_seconds_bucket} series are published (needed for p99 queries). */
        @WithDefault("true")
        boolean enabled();

        /** Smallest latency the buckets resolve. */
        @WithDefault("1ms")
        Duration min();

        /** Largest latency the buckets resolve; slower requests fall in the {@code +Inf} bucket. */
        @WithDefault("10s")
        Duration max();
    }
}
