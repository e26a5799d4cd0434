package dev.stockroom.availability;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** The availability cache, its batched loader and its read pool. */
@ConfigMapping(prefix = "stockroom.availability")
public interface AvailabilityConfig {

    /** Most SKUs the cache holds; beyond it the least valuable entries are evicted. */
    @WithDefault("100000")
    long maxEntries();

    /** How long after a load an entry becomes due for a background refresh (before jitter). */
    @WithDefault("5s")
    Duration refreshInterval();

    /** Spread of each entry's refresh time, as a fraction of the interval: 0.2 means ±20%. */
    @WithDefault("0.2")
    double jitter();

    /** Hard bound on staleness: an entry loaded longer ago than this is never served. */
    @WithDefault("60s")
    Duration maxStaleness();

    /** Longest a read waits for a load of SKUs it does not have (then 503). */
    @WithDefault("1s")
    Duration readDeadline();

    /** Most SKUs one load query asks for ({@code WHERE sku = ANY(?)}). */
    @WithDefault("200")
    int batchSize();

    /** Most load queries running at once; keep it at or below the read pool size. */
    @WithDefault("4")
    int maxBatchesInFlight();

    /** The HikariCP pool that cache loads use. */
    ReadPool readPool();

    interface ReadPool {
        /** Connections, fixed (minimum idle = maximum). */
        @WithDefault("4")
        int size();

        /** Longest wait for a connection before a load fails. */
        @WithDefault("500ms")
        Duration connectionTimeout();

        /** {@code statement_timeout} on every read connection: the database stops a slow load too. */
        @WithDefault("2s")
        Duration statementTimeout();

        /** Socket read timeout, so that a load on a frozen network fails instead of hanging. */
        @WithDefault("3s")
        Duration socketTimeout();

        /** JDBC URL of the read pool; defaults to the write datasource's URL. */
        Optional<String> jdbcUrl();
    }
}
