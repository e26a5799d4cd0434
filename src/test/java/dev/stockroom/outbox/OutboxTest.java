package dev.stockroom.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Kafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every committed stock change reaches inventory.stock-changes once, in version order, even across a broker outage. */
@QuarkusTest
class OutboxTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Db db;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @Test
    void relay_changesFromHttpAndEvents_publishesOnePerChangeInVersionOrder() throws Exception {
        // Given
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("OUTBOX");

        try (KafkaConsumer<String, byte[]> changes = Kafka.consumer(Kafka.CHANGES)) {
            // When: changes through HTTP (corrections, a hold) and through a warehouse event
            for (int i = 1; i <= 5; i++) {
                Api.stock(sku, location, 10 * i);
            }
            Api.reserveOk(Api.hold("order-o", List.of(Api.line(sku, 3, location))));
            Kafka.send(List.of(Kafka.binary(UUID.randomUUID().toString(), "stock.received", sku,
                    "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":7}")));
            await().atMost(Duration.ofSeconds(30)).until(() -> db.level(sku, location)[0] == 57);
            long finalVersion = db.scalar("SELECT version FROM stock_level WHERE sku = ? AND location = ?", sku,
                    location);

            // Then: versions 0 (created) .. final, each once, in order, the last one carrying the final quantities
            List<JsonNode> published = awaitVersions(changes, sku, location, finalVersion);
            assertThat(published).extracting(n -> n.get("version").asLong())
                    .containsExactlyElementsOf(LongStream.rangeClosed(0, finalVersion).boxed().toList());
            JsonNode last = published.get(published.size() - 1);
            assertThat(last.get("onHand").asInt()).isEqualTo(57);
            assertThat(last.get("reserved").asInt()).isEqualTo(3);
            assertThat(last.get("available").asInt()).isEqualTo(54);
            await().atMost(Duration.ofSeconds(10)).until(() -> db.scalar(
                    "SELECT count(*) FROM stock_change_outbox WHERE sku = ?", sku) == 0);
        }
    }

    @Test
    void relay_brokerStoppedAndRestartedWhilePublishing_losesNothingAndKeepsOrder() throws Exception {
        // Given: a writer that keeps changing three stock levels
        String location = Api.unique("WH");
        Api.location(location, 1);
        List<String> skus = List.of(Api.unique("OUTAGE"), Api.unique("OUTAGE"), Api.unique("OUTAGE"));
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (KafkaConsumer<String, byte[]> changes = Kafka.consumer(Kafka.CHANGES)) {
            Future<?> writes = writer.submit(() -> {
                for (int i = 1; i <= 60; i++) {
                    Api.stock(skus.get(i % 3), location, i);
                }
            });
            await().atMost(Duration.ofSeconds(30)).until(() -> db.scalar(
                    "SELECT count(*) FROM stock_level WHERE sku = ?", skus.get(0)) > 0);

            // When: the broker goes away while the writer and the relay are busy, and comes back
            Kafka.stopBroker();
            writes.get();
            long pending = db.scalar("SELECT count(*) FROM stock_change_outbox WHERE sku = ANY(?)",
                    (Object) skus.toArray(String[]::new));
            // ... meanwhile the outbox's age shows the backlog, and the service stays ready (it needs no broker to
            // serve holds and reads)
            await().atMost(Duration.ofSeconds(30)).until(() -> outboxAgeSeconds() >= 1);
            given().noFilters().get(ready).then().statusCode(200);
            Kafka.startBroker();

            // Then: every version of every stock level arrives once and in order
            assertThat(pending).isPositive();
            for (String sku : skus) {
                long finalVersion = db.scalar("SELECT version FROM stock_level WHERE sku = ? AND location = ?", sku,
                        location);
                List<JsonNode> published = awaitVersions(changes, sku, location, finalVersion);
                assertThat(published).extracting(n -> n.get("version").asLong())
                        .containsExactlyElementsOf(LongStream.rangeClosed(0, finalVersion).boxed().toList());
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> outboxAgeSeconds() == 0);
        } finally {
            writer.shutdownNow();
        }
    }

    private double outboxAgeSeconds() {
        return registry.get("stockroom.outbox.oldest.age").gauge().value();
    }

    private final Map<String, List<JsonNode>> seen = new HashMap<>();

    /** Reads stock.changed events until (sku, location) reached {@code finalVersion}; returns them in topic order. */
    private List<JsonNode> awaitVersions(KafkaConsumer<String, byte[]> consumer, String sku, String location,
                                         long finalVersion) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (ConsumerRecord<String, byte[]> r : Kafka.poll(consumer, r -> r.key() != null)) {
                assertThat(Kafka.header(r, "ce_type")).isEqualTo("stock.changed");
                JsonNode data = JSON.readTree(r.value());
                seen.computeIfAbsent(data.get("sku").asText() + "@" + data.get("location").asText(),
                        k -> new ArrayList<>()).add(data);
            }
            List<JsonNode> mine = seen.getOrDefault(sku + "@" + location, List.of());
            return !mine.isEmpty() && mine.get(mine.size() - 1).get("version").asLong() >= finalVersion;
        });
        return seen.get(sku + "@" + location);
    }
}
