package dev.stockroom.warehouse;

import dev.stockroom.support.Api;
import dev.stockroom.support.BenchFigures;
import dev.stockroom.support.Kafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Warehouse events applied per second, end to end (Kafka → batch → PostgreSQL commit → offsets), against a bare
 * Kafka consumer reading the same records in the same run.
 *
 * <p>{@code ./mvnw -Pbench test -Dtest=WarehouseEventsBenchmark [-Dbench.events=100000] [-Dbench.warmup=300000]}. The service's consumer is
 * paused while the events are produced, so both figures are measured draining the same backlog.
 */
@QuarkusTest
class WarehouseEventsBenchmark {

    @Inject
    KafkaClientService clients;

    @Inject
    MeterRegistry registry;

    @Test
    void apply_backlogOfEvents_printsEventsPerSecondAgainstBareConsumer() {
        int events = Integer.getInteger("bench.events", 100_000);
        List<String> locations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String code = Api.unique("BENCH");
            Api.location(code, i + 1);
            locations.add(code);
        }
        // A warm-up round first, so that the measured round sees compiled code and warm caches on both sides. It is
        // three times the measured round: the broker runs in this JVM, and after a round of 100,000 events the JIT
        // compiler was still taking a third of the process's CPU time compiling its code and the clients'.
        round(locations, Integer.getInteger("bench.warmup", 300_000), false);
        round(locations, events, true);
    }

    private void round(List<String> locations, int events, boolean print) {
        EventStream stream = new EventStream(Api.unique("BENCH"), locations, 1_000, events, 0, 0, events);

        // Given: a backlog of events, produced while the service's consumers are paused
        Map<TopicPartition, Long> start = endOffsets();
        clients.getConsumers(StockEventsListener.CHANNEL).forEach(c -> c.pause().await().indefinitely());
        long produceStart = System.nanoTime();
        Kafka.send(stream.records);
        double produceSeconds = seconds(produceStart);
        double appliedBefore = applied();

        // When: the service drains it
        long applyStart = System.nanoTime();
        clients.getConsumers(StockEventsListener.CHANNEL).forEach(c -> c.resume().await().indefinitely());
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> applied() >= appliedBefore + events);
        double applySeconds = seconds(applyStart);

        // And: a bare consumer reads the same records (the reference)
        double bareSeconds = bareRead(start, events);

        assertThat(applied() - appliedBefore).isGreaterThanOrEqualTo(events);
        if (!print) {
            return;
        }
        double appliedRate = events / applySeconds;
        double bareRate = events / bareSeconds;
        System.out.printf("%nWarehouseEventsBenchmark on %d cores, %d events (1,000 SKUs x 3 locations), after a"
                + " warm-up round%n", Runtime.getRuntime().availableProcessors(), events);
        System.out.printf("  producer (reference)             %,10.0f events/s%n", events / produceSeconds);
        System.out.printf("  bare Kafka consumer (reference)  %,10.0f events/s%n", bareRate);
        System.out.printf("  applied by Stockroom             %,10.0f events/s%n", appliedRate);
        System.out.printf("  ratio applied / bare consumer    %10.3f%n%n", appliedRate / bareRate);
        BenchFigures.figure("warehouse",
                "warehouse events applied/s, end to end (Kafka, batch, PostgreSQL commit, offsets)",
                appliedRate, "events/s", "a bare Kafka consumer reading the same records", bareRate);
    }

    private double applied() {
        var counter = registry.find("stockroom.warehouse.events").tag("outcome", "applied").counter();
        return counter == null ? 0 : counter.count();
    }

    private static Map<TopicPartition, Long> endOffsets() {
        try (KafkaConsumer<String, byte[]> consumer = bare()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Kafka.EVENTS).stream()
                    .map(p -> new TopicPartition(Kafka.EVENTS, p.partition())).toList();
            return new HashMap<>(consumer.endOffsets(partitions));
        }
    }

    private static double bareRead(Map<TopicPartition, Long> start, int events) {
        try (KafkaConsumer<String, byte[]> consumer = bare()) {
            consumer.assign(start.keySet());
            start.forEach(consumer::seek);
            long began = System.nanoTime();
            int read = 0;
            while (read < events) {
                read += consumer.poll(Duration.ofMillis(100)).count();
            }
            return seconds(began);
        }
    }

    private static KafkaConsumer<String, byte[]> bare() {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Kafka.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "bench-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
