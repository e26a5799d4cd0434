package dev.stockroom.reservation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Limits of holds and the expiry sweeper. */
@ConfigMapping(prefix = "stockroom.reservation")
public interface ReservationConfig {

    /** Most lines one hold may have. */
    @WithDefault("100")
    int maxLines();

    /** Most units one line may hold. */
    @WithDefault("1000")
    int maxLineQuantity();

    /** How long a hold lasts when the request does not say. */
    @WithDefault("600")
    int defaultTtlSeconds();

    /** Longest hold a request may ask for. */
    @WithDefault("3600")
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
