package dev.stockroom.warehouse;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Kafka;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A long stream of warehouse events with duplicates and bad ones, against the real broker and database. */
@QuarkusTest
class WarehouseEventsTest {

    @Inject
    Db db;

    @Test
    void consume_tenThousandEventsWithDuplicatesAndBadOnes_appliesEachGoodEventOnce() {
        // Given: 50 SKUs over 3 locations; 10% of the good events delivered twice, 1% bad events
        String prefix = Api.unique("STREAM");
        List<String> locations = locations(3);
        EventStream stream = new EventStream(prefix, locations, 50, 10_000, 0.10, 0.01, 42);

        // When
        try (KafkaConsumer<String, byte[]> dlq = Kafka.consumer(Kafka.DLQ)) {
            Kafka.send(stream.records);

            // Then: every good event is applied once, and the ledger says so
            awaitApplied(prefix, stream);
            assertStock(prefix, stream);
            // ... and the dead-letter topic holds exactly the bad ones, with their reasons and original headers
            Map<String, String> dead = new HashMap<>();
            List<ConsumerRecord<String, byte[]>> deadRecords = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (ConsumerRecord<String, byte[]> r : Kafka.poll(dlq, r -> r.key() != null && r.key().startsWith(prefix))) {
                    dead.put(Kafka.header(r, "test-id"), Kafka.header(r, "dlq-reason"));
                    deadRecords.add(r);
                }
                assertThat(dead).isEqualTo(stream.badReasons);
            });
            assertThat(deadRecords).hasSize(stream.badReasons.size());
            assertThat(deadRecords).allSatisfy(r -> {
                assertThat(Kafka.header(r, "dlq-original-topic")).isEqualTo(Kafka.EVENTS);
                assertThat(Kafka.header(r, "dlq-original-partition")).isNotBlank();
                assertThat(Kafka.header(r, "dlq-original-offset")).isNotBlank();
                assertThat(Kafka.header(r, "dlq-detail")).isNotBlank();
            });
        }
    }

    @Test
    void consume_brokerStoppedMidStream_nothingLostNothingAppliedTwice() {
        // Given: a stream whose first half is being consumed
        String prefix = Api.unique("RESTART");
        List<String> locations = locations(3);
        EventStream stream = new EventStream(prefix, locations, 50, 10_000, 0.10, 0.0, 7);
        int half = stream.records.size() / 2;
        Kafka.send(stream.records.subList(0, half));
        await().atMost(Duration.ofSeconds(60))
                .until(() -> db.scalar("SELECT count(*) FROM stock_movement WHERE sku LIKE ?", prefix + "%") > 0);

        // When: the broker goes away under the consumer (offsets not yet committed are delivered again later),
        // comes back, and the second half follows
        Kafka.stopBroker();
        Kafka.startBroker();
        Kafka.send(stream.records.subList(half, stream.records.size()));

        // Then
        awaitApplied(prefix, stream);
        assertStock(prefix, stream);
    }

    private void awaitApplied(String prefix, EventStream stream) {
        long expectedRows = stream.ledgerRows.values().stream().mapToLong(Integer::longValue).sum();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() ->
                db.scalar("SELECT count(*) FROM stock_movement WHERE sku LIKE ?", prefix + "%") >= expectedRows);
        Map<String, Integer> rowsPerEvent = new HashMap<>();
        db.rows("SELECT event_id, count(*) AS n FROM stock_movement WHERE sku LIKE ? GROUP BY event_id", prefix + "%")
                .forEach(r -> rowsPerEvent.put((String) r.get("event_id"), ((Number) r.get("n")).intValue()));
        assertThat(rowsPerEvent).isEqualTo(stream.ledgerRows);
    }

    private void assertStock(String prefix, EventStream stream) {
        Map<String, Integer> actual = new HashMap<>();
        db.rows("SELECT sku, location, on_hand FROM stock_level WHERE sku LIKE ?", prefix + "%")
                .forEach(r -> actual.put(r.get("sku") + "@" + r.get("location"), ((Number) r.get("on_hand")).intValue()));
        assertThat(actual).isEqualTo(stream.expected);
        assertThat(db.ledgerMismatches(prefix)).isEmpty();
    }

    private static List<String> locations(int n) {
        List<String> locations = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String code = Api.unique("WH");
            Api.location(code, i + 1);
            locations.add(code);
        }
        return locations;
    }
}
