package dev.stockroom.warehouse;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Kafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which deliveries are the same event, and which records are refused before they can have an effect: an event is
 * identified by its CloudEvents (source, id), only an applied one is a duplicate, and the record key is the SKU.
 */
@QuarkusTest
class EventIdentityTest {

    @Inject
    Db db;

    @Test
    void replay_deadLetteredEventAfterItsCauseIsFixed_isApplied() {
        // Given: a receipt at a location that does not exist yet went to the dead-letter topic
        String location = Api.unique("WH");
        String sku = Api.unique("REPLAY");
        ProducerRecord<String, byte[]> receipt = received(UUID.randomUUID().toString(), "/wms/east", sku, location, 6);
        try (KafkaConsumer<String, byte[]> dlq = Kafka.consumer(Kafka.DLQ)) {
            Kafka.send(List.of(receipt));
            assertThat(Kafka.header(deadLetters(dlq, sku, 1).get(0), "dlq-reason")).isEqualTo("unknown-location");

            // When: the location is created and the same record is produced again, as the runbook says
            Api.location(location, 1);
            Kafka.send(List.of(receipt));

            // Then: it is judged again, and this time applied
            await().atMost(Duration.ofSeconds(30)).until(() -> onHand(sku, location) == 6);
            assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ?", sku)).isEqualTo(1);
            assertThat(Kafka.poll(dlq, r -> sku.equals(r.key()))).isEmpty();
        }
    }

    @Test
    void replay_deadLetteredEventWhileItsCauseRemains_isDeadLetteredAgain() {
        // Given: a receipt at a location that does not exist went to the dead-letter topic
        String sku = Api.unique("REPLAY");
        ProducerRecord<String, byte[]> receipt = received(UUID.randomUUID().toString(), "/wms/east", sku,
                Api.unique("NOWHERE"), 6);
        try (KafkaConsumer<String, byte[]> dlq = Kafka.consumer(Kafka.DLQ)) {
            Kafka.send(List.of(receipt));
            deadLetters(dlq, sku, 1);

            // When: it is replayed unchanged
            Kafka.send(List.of(receipt));

            // Then: judged again, it is set aside again, with the same reason
            assertThat(Kafka.header(deadLetters(dlq, sku, 1).get(0), "dlq-reason")).isEqualTo("unknown-location");
        }
    }

    @Test
    void consume_sameIdFromTwoSources_appliesBoth() {
        // Given: two warehouse systems that number their events the same way
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("SOURCES");
        String id = "wms-" + UUID.randomUUID();

        // When: each sends its own event under the same id
        Kafka.send(List.of(received(id, "/wms/east", sku, location, 3), received(id, "/wms/west", sku, location, 4)));

        // Then: both are applied, once each
        await().atMost(Duration.ofSeconds(30)).until(() -> db.scalar(
                "SELECT count(*) FROM stock_movement WHERE sku = ?", sku) == 2);
        assertThat(onHand(sku, location)).isEqualTo(7);
    }

    @Test
    void consume_sameSourceAndIdTwice_appliesOnce() {
        // Given
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("SOURCES");
        String id = "wms-" + UUID.randomUUID();

        // When: one system sends one event twice (a retry of its producer), and a marker after it
        Kafka.send(List.of(received(id, "/wms/east", sku, location, 3), received(id, "/wms/east", sku, location, 3),
                received(UUID.randomUUID().toString(), "/wms/east", sku, location, 10)));

        // Then
        await().atMost(Duration.ofSeconds(30)).until(() -> onHand(sku, location) >= 10);
        assertThat(onHand(sku, location)).isEqualTo(13);
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ?", sku)).isEqualTo(2);
    }

    @Test
    void consume_recordWithoutKey_deadLetteredAsKeyMismatchAndChangesNothing() {
        // Given
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("NOKEY");
        ProducerRecord<String, byte[]> keyed = received(UUID.randomUUID().toString(), "/wms/east", sku, location, 5);
        ProducerRecord<String, byte[]> unkeyed = new ProducerRecord<>(Kafka.EVENTS, null, (String) null, keyed.value(),
                keyed.headers());

        try (KafkaConsumer<String, byte[]> dlq = Kafka.consumer(Kafka.DLQ)) {
            // When: the event comes without a key (so it may sit in any partition), then a keyed one
            Kafka.send(List.of(unkeyed));
            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                dead.addAll(Kafka.poll(dlq, r -> r.value() != null
                        && new String(r.value(), StandardCharsets.UTF_8).contains(sku)));
                assertThat(dead).isNotEmpty();
            });
            Kafka.send(List.of(received(UUID.randomUUID().toString(), "/wms/east", sku, location, 2)));

            // Then: it is set aside as a key mismatch and has no effect; the keyed one is applied
            assertThat(dead).hasSize(1);
            assertThat(Kafka.header(dead.get(0), "dlq-reason")).isEqualTo("key-mismatch");
            await().atMost(Duration.ofSeconds(30)).until(() -> onHand(sku, location) == 2);
            assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ?", sku)).isEqualTo(1);
        }
    }

    private int onHand(String sku, String location) {
        return (int) db.scalar("SELECT coalesce(sum(on_hand), 0) FROM stock_level WHERE sku = ? AND location = ?",
                sku, location);
    }

    /** Waits for {@code n} new dead letters keyed {@code sku} and returns them. */
    private static List<ConsumerRecord<String, byte[]>> deadLetters(KafkaConsumer<String, byte[]> dlq, String sku,
                                                                    int n) {
        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            dead.addAll(Kafka.poll(dlq, r -> sku.equals(r.key())));
            assertThat(dead).hasSizeGreaterThanOrEqualTo(n);
        });
        return dead;
    }

    private static ProducerRecord<String, byte[]> received(String id, String source, String sku, String location,
                                                           int quantity) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(id));
        headers.add("ce_type", bytes("stock.received"));
        headers.add("ce_source", bytes(source));
        headers.add("content-type", bytes("application/json"));
        return new ProducerRecord<>(Kafka.EVENTS, null, sku, bytes("{\"sku\":\"" + sku + "\",\"location\":\""
                + location + "\",\"quantity\":" + quantity + "}"), headers);
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
