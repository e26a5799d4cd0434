package dev.stockroom.reservation;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * How the combining engine places holds: its writers, batches and queues. Which engine serves a caller is the flag
 * {@code holds.engine} ({@link HoldEngine#FLAG}).
 */
@ConfigMapping(prefix = "stockroom.holds")
public interface HoldsConfig {

    /**
     * Writer loops of the combiner. A SKU always maps to the same loop, so its holds are never split across
     * loops; a loop writes one batch at a time on one write-pool connection, so keep this well below the write pool.
     * More loops than cores make smaller batches, not more holds: every batch is a transaction, and spread over many
     * SKUs a pod of two cores placed 3,064 holds a second with four loops against 5,389–5,834 with two
     * (docs/performance.md). A second loop keeps one SKU's slow batch from stalling every other SKU.
     */
    @WithDefault("2")
    int writers();

    /** Most holds one batch decides; a writer takes every hold waiting for it up to this, without waiting for more. */
    @WithDefault("256")
    int batchSize();

    /** Most holds waiting for one writer; a hold beyond it is answered 503 with {@code Retry-After} at once. */
    @WithDefault("2048")
    int queueCapacity();

    /** Longest a hold waits to enter a batch; past it, it is answered 503 and never applied. */
    @WithDefault("1s")
    Duration enterDeadline();

    /** The {@code Retry-After} of a hold answered 503. */
    @WithDefault("1s")
    Duration retryAfter();

    /** What happens when a batch's transaction fails for a reason that may pass: a lost connection, a deadlock, a timeout. */
    Retry retry();

    interface Retry {
        /** Times a batch is tried again, each time decided afresh on the stock of that moment. */
        @WithDefault("3")
        int maxRetries();

        /** Pause before each new try. */
        @WithDefault("50ms")
        Duration delay();

        /**
         * How long to keep asking whether a commit that got no answer happened (the connection broke during COMMIT),
         * before its callers are answered 503; a retry with the same {@code Idempotency-Key} then tells.
         */
        @WithDefault("5s")
        Duration outcomeCheck();
    }
}
