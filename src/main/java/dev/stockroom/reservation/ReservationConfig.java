package dev.stockroom.reservation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Limits of holds and the expiry sweeper. */
@ConfigMapping(prefix = "stockroom.reservation")
public interface ReservationConfig {

    // The defaults, named so that the API description states the same bounds (HoldRequest).
    int MAX_LINES = 100;
    int MAX_LINE_QUANTITY = 1000;
    int DEFAULT_TTL_SECONDS = 600;
    int MAX_TTL_SECONDS = 3600;

    /** Most lines one hold may have. */
    @WithDefault("" + MAX_LINES)
    int maxLines();

    /** Most units one line may hold. */
    @WithDefault("" + MAX_LINE_QUANTITY)
    int maxLineQuantity();

    /** How long a hold lasts when the request does not say. */
    @WithDefault("" + DEFAULT_TTL_SECONDS)
    int defaultTtlSeconds();

    /** Longest hold a request may ask for. */
    @WithDefault("" + MAX_TTL_SECONDS)
    int maxTtlSeconds();

    /** The expiry sweeper. */
    Expiry expiry();

    interface Expiry {
        /** How often the sweeper looks for expired holds; with the drain time this bounds expiry lateness. */
        @WithDefault("1s")
        Duration interval();

        /** Holds expired per transaction. */
        @WithDefault("500")
        int batchSize();

        /** Batches one sweep may run before it yields to the next tick. */
        @WithDefault("20")
        int maxBatchesPerSweep();
    }
}
