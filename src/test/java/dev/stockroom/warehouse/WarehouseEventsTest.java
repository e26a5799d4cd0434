package dev.stockroom.warehouse;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Kafka;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A long stream of warehouse events with duplicates and bad ones, against the real broker and database. */
@QuarkusTest
class WarehouseEventsTest {

    @Inject
    Db db;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    KafkaClientService clients;

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
                for (ConsumerRecord<String, byte[]> r : Kafka.poll(dlq, r -> r.key() != null && r.key().startsWith(
                        prefix))) {
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

    @Test
    void consume_oneSkuWaitingOnALock_otherPartitionsAreStillApplied() throws Exception {
        // Given: two SKUs on different partitions (the stuck one on partition 0, which a single worker would take
        // first), and a transaction outside the service holding the row lock of the stuck one's stock level
        String location = locations(1).get(0);
        String stuck = sku("STUCK", p -> p == 0);
        String free = sku("FREE", p -> p != 0);
        Api.stock(stuck, location, 10);
        Api.stock(free, location, 10);
        try (Connection locker = dataSource.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement lock = locker.createStatement()) {
                lock.execute("SELECT 1 FROM stock_level WHERE sku = '" + stuck + "' FOR UPDATE");
            }

            // When: one event for each arrives in the same poll (produced while the consumer is paused)
            Kafka.sendInOnePoll(clients, StockEventsListener.CHANNEL, List.of(received(stuck, location), received(free,
                    location)));

            // Then: the other partition's event is applied while the first still waits for the lock
            await().atMost(Duration.ofSeconds(30)).until(() -> db.level(free, location)[0] == 15);
            assertThat(db.level(stuck, location)[0]).isEqualTo(10);
            locker.rollback();
        }
        // ... and the waiting one follows once the lock is gone
        await().atMost(Duration.ofSeconds(60)).until(() -> db.level(stuck, location)[0] == 15);
    }

    private static ProducerRecord<String, byte[]> received(String sku, String location) {
        return Kafka.binary(Api.unique("EV"), "stock.received", sku,
                "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":5}");
    }

    /** A new SKU whose partition (the default partitioner's choice for its key) passes the test. */
    private static String sku(String prefix, IntPredicate partition) {
        int partitions = ConfigProvider.getConfig().getValue("stockroom.embedded-kafka.partitions", Integer.class);
        return Stream.generate(() -> Api.unique(prefix)).filter(sku -> partition.test(
                Utils.toPositive(Utils.murmur2(sku.getBytes(StandardCharsets.UTF_8))) % partitions))
                .findFirst().orElseThrow();
    }

    private void awaitApplied(String prefix, EventStream stream) {
        long expectedRows = stream.ledgerRows.values().stream().mapToLong(Integer::longValue).sum();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> db.scalar(
                "SELECT count(*) FROM stock_movement WHERE sku LIKE ?", prefix + "%") >= expectedRows);
        Map<String, Integer> rowsPerEvent = new HashMap<>();
        db.rows("SELECT event_id, count(*) AS n FROM stock_movement WHERE sku LIKE ? GROUP BY event_id", prefix + "%")
                .forEach(r -> rowsPerEvent.put((String) r.get("event_id"), ((Number) r.get("n")).intValue()));
        assertThat(rowsPerEvent).isEqualTo(stream.ledgerRows);
    }

    private void assertStock(String prefix, EventStream stream) {
        Map<String, Integer> actual = new HashMap<>();
        db.rows("SELECT sku, location, on_hand FROM stock_level WHERE sku LIKE ?", prefix + "%")
                .forEach(r -> actual.put(r.get("sku") + "@" + r.get("location"), ((Number) r.get("on_hand"))
                        .intValue()));
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
