package dev.stockroom.outbox;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Kafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A relay that crashed in the middle of a Kafka transaction leaves it open, and {@code read_committed} readers of
 * its partitions see nothing past it until it is aborted. Started again with the same transactional id, the relay
 * fences the crashed one and aborts that transaction at once. The relay's thread is off here: the test plays the
 * crashed relay, then runs the restarted one's batches itself.
 */
@QuarkusTest
@TestProfile(OutboxFencingTest.StableId.class)
class OutboxFencingTest {

    /** A transactional id of its own for this replica, as the deployment gives each pod. */
    public static class StableId implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockroom.outbox.enabled", "false",
                    "stockroom.outbox.transactional-id", "stockroom-outbox-fencing-test-pod");
        }
    }

    @ConfigProperty(name = "stockroom.outbox.transactional-id")
    String transactionalId;

    @Inject
    OutboxRelay relay;

    @Inject
    Db db;

    @Test
    void relayRestarted_afterACrashMidTransaction_abortsItAndReadersSeeNewChanges() {
        // Given: the relay crashed with a transaction open on the SKU's partition of inventory.stock-changes
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("FENCE");
        KafkaProducer<String, byte[]> crashed = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Kafka.bootstrap(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                // Left alone, the broker would abort it only after ten minutes.
                ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 600_000),
                new StringSerializer(), new ByteArraySerializer());
        try (KafkaConsumer<String, byte[]> changes = Kafka.consumer(Kafka.CHANGES)) {
            crashed.initTransactions();
            crashed.beginTransaction();
            crashed.send(new ProducerRecord<>(Kafka.CHANGES, sku, "half-published".getBytes(StandardCharsets.UTF_8)));
            crashed.flush();

            // When: the SKU changes, and the relay, started again, publishes what the outbox holds
            Api.stock(sku, location, 9);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                QuarkusTransaction.requiringNew().call(relay::relayBatch);
                return db.scalar("SELECT count(*) FROM stock_change_outbox WHERE sku = ?", sku) == 0;
            });

            // Then: readers get the change at once; the crashed relay's half-published record is never seen
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                seen.addAll(Kafka.poll(changes, r -> sku.equals(r.key())));
                assertThat(seen).extracting(Kafka::value).anySatisfy(v -> assertThat(v).contains("\"onHand\":9"));
            });
            assertThat(seen).extracting(Kafka::value).doesNotContain("half-published");
        } finally {
            try {
                crashed.abortTransaction();
            } catch (KafkaException fenced) {
                // Expected once the relay has fenced it.
            }
            crashed.close(Duration.ZERO);
        }
    }
}
