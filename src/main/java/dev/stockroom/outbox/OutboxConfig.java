package dev.stockroom.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The relay that publishes the stock change outbox to Kafka. */
@ConfigMapping(prefix = "stockroom.outbox")
public interface OutboxConfig {

    /** Whether this replica runs the relay; any number may, each SKU is published by one at a time. */
    @WithDefault("true")
    boolean enabled();

    /** Topic of the {@code stock.changed} events. */
    @WithDefault("inventory.stock-changes")
    String topic();

    /** CloudEvents {@code source} of the events. */
    @WithDefault("/stockroom")
    String source();

    /** Most outbox rows claimed, published and deleted per transaction. */
    @WithDefault("500")
    int batchSize();

    /** How often an idle relay looks for rows; a local commit wakes it at once. */
    @WithDefault("500ms")
    Duration pollInterval();

    /** First pause after a failed publication; it doubles up to {@link #maxBackoff()}. */
    @WithDefault("200ms")
    Duration backoff();

    /** Longest pause between attempts while the broker is unreachable. */
    @WithDefault("10s")
    Duration maxBackoff();

    /** Longest wait for the broker to acknowledge one batch; the claimed rows stay locked meanwhile. */
    @WithDefault("10s")
    Duration sendTimeout();
}
