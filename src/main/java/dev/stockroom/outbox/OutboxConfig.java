package dev.stockroom.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

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

    /**
     * After a local commit wakes the relay, how long it waits for the commits right behind that one, so that they
     * share its Kafka transaction. A Kafka transaction costs the broker and the relay several round trips whatever
     * it carries, and under a flash sale the combiner commits hundreds of times a second: without this wait the
     * relay opens about as many transactions, at a cost in CPU that slowed holds by a quarter. Events
     * are published this much later; {@code 0} publishes at once.
     */
    @WithDefault("25ms")
    Duration linger();

    /** First pause after a failed publication; it doubles up to {@link #maxBackoff()}. */
    @WithDefault("200ms")
    Duration backoff();

    /** Longest pause between attempts while the broker is unreachable. */
    @WithDefault("10s")
    Duration maxBackoff();

    /** Longest wait for the broker to acknowledge one batch; the claimed rows stay locked meanwhile. */
    @WithDefault("10s")
    Duration sendTimeout();

    /**
     * The Kafka transactional id of this replica's relay. It must stay the same when the replica restarts, so that
     * the new producer fences the one that crashed and aborts the transaction it left open (read-committed readers
     * of its partitions see nothing past an open transaction), and no two running replicas may share it. The
     * deployment sets it from the namespace and the pod's name (Downward API); pod names are unique among running
     * pods, and a container restarted in its pod keeps its name. Unset, the relay uses {@code stockroom-outbox-}
     * and the {@code HOSTNAME} (the pod's name in Kubernetes, the container's id in Docker), or a random id per start
     * where there is none, such as dev mode.
     */
    Optional<String> transactionalId();
}
