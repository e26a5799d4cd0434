package dev.stockroom.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The write bulkhead that sheds holds, commits, releases and corrections when the write pool is saturated. */
@ConfigMapping(prefix = "stockroom.shedding")
public interface SheddingConfig {

    /** Write requests served at once; the write pool's size, so that none of them waits for a connection. */
    @WithDefault("${quarkus.datasource.jdbc.max-size}")
    int permits();

    /** Longest a write request waits for a permit before it is answered 503. */
    @WithDefault("100ms")
    Duration maxWait();

    /** The {@code Retry-After} given with a 503. */
    @WithDefault("1s")
    Duration retryAfter();
}
