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

    /** Most load queries running at once; more than the read pool's size would only meet its bulkhead. */
    @WithDefault("4")
    int maxBatchesInFlight();

    /** The guard around each load query; its bulkhead is the read pool's size, so it can never outgrow the pool. */
    Guard guard();

    /** The HikariCP pool that cache loads use. */
    ReadPool readPool();

    /** Timeout and circuit breaker of each load query (SmallRye Fault Tolerance, see {@code ReadPoolLoader}). */
    interface Guard {

        /** Longest a load query may take; above {@code read-pool.statement-timeout}, so the database gives up first. */
        @WithDefault("3s")
        Duration timeout();

        /** When loads stop being tried for a while, so that a sick database is not asked again and again. */
        CircuitBreaker circuitBreaker();

        interface CircuitBreaker {

            /** How many of the latest loads the circuit judges by. */
            @WithDefault("4")
            int requestVolume();

            /** Share of those loads that must have failed for the circuit to open. */
            @WithDefault("0.5")
            double failureRatio();

            /** How long the circuit stays open (stale entries are served meanwhile) before one trial load. */
            @WithDefault("5s")
            Duration delay();
        }
    }

    interface ReadPool {
        /**
         * Connections, fixed (minimum idle = maximum); also the load bulkhead. Counted in the connection budget,
         * and set per environment with {@code STOCKROOM_AVAILABILITY_READ_POOL_SIZE}.
         */
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
