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

    /** Longest wait for the dead-letter topic to acknowledge a batch of bad events before the batch is retried. */
    @WithDefault("10s")
    Duration deadLetterTimeout();

    /** First pause before a batch is retried after the database or the dead-letter topic failed; it doubles. */
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
