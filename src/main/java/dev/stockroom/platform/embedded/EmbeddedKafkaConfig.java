package dev.stockroom.platform.embedded;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The embedded Kafka broker of dev mode and tests; it never starts in the {@code prod} profile, nor when
 * {@code KAFKA_BOOTSTRAP_SERVERS} names a cluster.
 */
@ConfigMapping(prefix = "stockroom.embedded-kafka")
public interface EmbeddedKafkaConfig {

    /** Whether dev mode and tests start it; {@code false} leaves {@code kafka.bootstrap.servers} as configured. */
    @WithDefault("true")
    boolean enabled();

    /** Port it listens on; 0 takes a free one (tests). Dev mode sets 9092, so that kcat can reach it. */
    @WithDefault("0")
    int port();

    /** Partitions of the topics it creates, so that ordering per key and concurrency across keys both show. */
    @WithDefault("3")
    int partitions();
}
