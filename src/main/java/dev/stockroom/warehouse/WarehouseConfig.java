package dev.stockroom.warehouse;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The warehouse events consumer. Kafka consumer settings live under {@code mp.messaging.incoming.warehouse-stock-events}. */
@ConfigMapping(prefix = "stockroom.warehouse")
public interface WarehouseConfig {

    /** Where bad events go, with the reason in headers. */
    @WithDefault("warehouse.stock-events.dlq")
    String deadLetterTopic();

    /**
     * Longest a batch's dead letters may take: it bounds every wait of the dead-letter producer (for the topic's
     * metadata, {@code max.block.ms}, which a missing or unreachable topic makes {@code send} itself wait for; for
     * a request; for a record's delivery) and the consumer's wait for their acknowledgements. Those not
     * acknowledged by then are sent again after a backoff. The batch's stock changes are committed before its dead
     * letters are sent, so this wait never holds a stock row lock; it only keeps the batch's offsets back.
     */
    @WithDefault("10s")
    Duration deadLetterTimeout();

    /** First pause before a batch, or its dead letters, is retried after the database or the broker failed; it doubles. */
    @WithDefault("200ms")
    Duration retryBackoff();

    /**
     * Partitions of one polled batch applied at the same time, each in its own transaction. Partitions hold
     * disjoint SKUs, so their transactions never wait on each other's stock levels.
     */
    @WithDefault("3")
    int applyThreads();

    /** Longest pause between retries of a batch while the database or the broker is unreachable. */
    @WithDefault("30s")
    Duration maxRetryBackoff();
}
