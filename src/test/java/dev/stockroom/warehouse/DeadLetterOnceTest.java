package dev.stockroom.warehouse;

import dev.stockroom.platform.embedded.DatabaseProxy;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Kafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A batch retried through a database outage sets each bad record aside once, not once per attempt. */
@QuarkusTest
@TestProfile(DeadLetterOnceTest.BehindProxy.class)
class DeadLetterOnceTest {

    /** The datasource reaches PostgreSQL through a proxy the test can cut. */
    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseProxy.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // Retries come quickly; the expiry sweeper, not under test, would log a failure every second.
            return Map.of("stockroom.warehouse.max-retry-backoff", "500ms",
                    "stockroom.reservation.expiry.interval", "1h");
        }
    }

    @Inject
    Db db;

    @Inject
    MeterRegistry registry;

    @AfterEach
    void restoreLink() {
        DatabaseProxy.restore();
    }

    @Test
    void consume_batchRetriedThroughADatabaseOutage_deadLettersItsBadRecordOnce() {
        // Given: a SKU in stock, and the link to the database cut
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("ONCE");
        Api.stock(sku, location, 1);
        double retriesBefore = retries();
        try (KafkaConsumer<String, byte[]> dlq = Kafka.consumer(Kafka.DLQ)) {
            DatabaseProxy.cut();

            // When: an unreadable record and a receipt of the SKU arrive, and their batch is retried several times
            ProducerRecord<String, byte[]> unreadable = new ProducerRecord<>(Kafka.EVENTS, sku,
                    "{not json".getBytes(StandardCharsets.UTF_8));
            unreadable.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(UUID.randomUUID().toString()))
                    .add("ce_type", bytes("stock.received"));
            Kafka.send(List.of(unreadable, received(sku, location, 5)));
            await().atMost(Duration.ofSeconds(60)).until(() -> retries() >= retriesBefore + 3);
            DatabaseProxy.restore();

            // Then: the receipt is applied, and a later event of the SKU after it (so the batch is behind us)
            await().atMost(Duration.ofSeconds(60)).until(() -> db.level(sku, location)[0] == 6);
            Kafka.send(List.of(received(sku, location, 1)));
            await().atMost(Duration.ofSeconds(60)).until(() -> db.level(sku, location)[0] == 7);
            // ... and the unreadable record was dead-lettered once
            assertThat(readToEnd(dlq).stream().filter(r -> sku.equals(r.key()))).hasSize(1);
        }
    }

    private double retries() {
        return registry.counter("stockroom.warehouse.retries").count();
    }

    /** Every record on the topic up to its current end. */
    private static List<ConsumerRecord<String, byte[]>> readToEnd(KafkaConsumer<String, byte[]> consumer) {
        Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            records.addAll(Kafka.poll(consumer, r -> true));
            return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
        });
        return records;
    }

    private static ProducerRecord<String, byte[]> received(String sku, String location, int quantity) {
        return Kafka.binary(UUID.randomUUID().toString(), "stock.received", sku,
                "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":" + quantity + "}");
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
