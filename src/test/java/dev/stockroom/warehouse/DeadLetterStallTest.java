package dev.stockroom.warehouse;

import dev.stockroom.platform.embedded.StalledDeadLetterTopic;
import dev.stockroom.support.Api;
import dev.stockroom.support.Kafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the dead-letter topic cannot take a dead letter (broker trouble on that topic alone), a batch with a bad event
 * must not keep the stock rows of its good events locked: storefronts hold those SKUs meanwhile.
 */
@QuarkusTest
@TestProfile(DeadLetterStallTest.StalledDeadLetters.class)
class DeadLetterStallTest {

    /** The dead-letter topic is missing until the test creates it; see {@link StalledDeadLetterTopic}. */
    public static class StalledDeadLetters implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(StalledDeadLetterTopic.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockroom.warehouse.dead-letter-timeout", "2s",
                    "stockroom.warehouse.max-retry-backoff", "1s");
        }
    }

    @Inject
    KafkaClientService clients;

    @Test
    void hold_onTheSkuOfABatchWhoseDeadLetterIsStalled_isGrantedMeanwhile() {
        // Given: a SKU with nothing on hand, and no dead-letter topic for the service to write to
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("STALL");
        Api.stock(sku, location, 0);
        assertThat(StalledDeadLetterTopic.deadLetterTopicExists()).isFalse();

        // When: one poll brings a bad event (its location does not exist) and then a receipt of 5 units of the SKU
        Kafka.sendInOnePoll(clients, StockEventsListener.CHANNEL, List.of(event("stock.received", sku, Api.unique(
                "NOWHERE"), 1),
                event("stock.received", sku, location, 5)));

        // Then: the 5 units can be held while the dead letter still cannot be sent
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> Api.reserve(Api.hold("stall",
                List.of(Api.line(sku, 5, location)))).statusCode(201));
        assertThat(StalledDeadLetterTopic.deadLetterTopicExists()).isFalse();

        // ... and once the topic exists, the dead letter arrives: it was held back, not lost
        StalledDeadLetterTopic.createDeadLetterTopic();
        try (KafkaConsumer<String, byte[]> dlq = Kafka.consumer(StalledDeadLetterTopic.DLQ)) {
            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                dead.addAll(Kafka.poll(dlq, r -> sku.equals(r.key())));
                assertThat(dead).isNotEmpty();
            });
            assertThat(Kafka.header(dead.get(0), "dlq-reason")).isEqualTo("unknown-location");
        }
    }

    private static ProducerRecord<String, byte[]> event(String type, String sku, String location, int quantity) {
        ProducerRecord<String, byte[]> record = Kafka.binary(UUID.randomUUID().toString(), type, sku,
                "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":" + quantity + "}");
        return new ProducerRecord<>(StalledDeadLetterTopic.EVENTS, null, record.key(), record.value(), record
                .headers());
    }
}
