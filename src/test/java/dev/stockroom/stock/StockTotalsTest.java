package dev.stockroom.stock;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Kafka;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Quantities at their limits: what one location may hold, and a SKU's totals over locations, which can pass what
 * one location may hold.
 */
@QuarkusTest
class StockTotalsTest {

    private static final int CORRECTION_LIMIT = 1_000_000_000;

    @Inject
    Db db;

    @Test
    void read_skuAtThreeLocationsEachAtTheCorrectionLimit_totalsAreExact() {
        // Given: three locations each holding the most a correction may set
        String sku = Api.unique("TOTAL");
        for (int i = 0; i < 3; i++) {
            String location = Api.unique("WH");
            Api.location(location, i + 1);
            Api.stock(sku, location, CORRECTION_LIMIT);
        }

        // When / Then: the totals are the sums, past what an int holds
        given().get("/v1/stock/{sku}", sku).then().statusCode(200)
                .body("onHand", equalTo(3_000_000_000L))
                .body("available", equalTo(3_000_000_000L))
                .body("locations.onHand", org.hamcrest.Matchers.everyItem(equalTo(CORRECTION_LIMIT)));
        given().queryParam("sku", sku).get("/v1/stock").then().statusCode(200)
                .body("items[0].onHand", equalTo(3_000_000_000L));
    }

    @Test
    void correct_onHandOneAboveTheLimit_isAProblemAndChangesNothing() {
        // Given
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("TOTAL");
        Api.stock(sku, location, CORRECTION_LIMIT);

        // When / Then
        given().contentType(ContentType.JSON).body(Map.of("onHand", CORRECTION_LIMIT + 1))
                .put("/v1/stock/{sku}/locations/{location}", sku, location)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("https://stockroom.dev/problems/invalid-request"));
        assertThat(db.level(sku, location)[0]).isEqualTo(CORRECTION_LIMIT);
    }

    @Test
    void receive_pastWhatALocationCanHold_deadLetteredAndChangesNothing() {
        // Given: a location filled by events to the most a stock level can hold
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("FULL");
        Api.stock(sku, location, CORRECTION_LIMIT);
        Kafka.send(List.of(received(sku, location, Integer.MAX_VALUE - CORRECTION_LIMIT)));
        await().atMost(Duration.ofSeconds(30)).until(() -> db.level(sku, location)[0] == Integer.MAX_VALUE);

        try (KafkaConsumer<String, byte[]> dlq = Kafka.consumer(Kafka.DLQ)) {
            // When: one more unit arrives, then a count that brings it down
            Kafka.send(List.of(received(sku, location, 1), Kafka.binary(UUID.randomUUID().toString(),
                    "stock.counted", sku, "{\"sku\":\"" + sku + "\",\"location\":\"" + location
                            + "\",\"quantity\":5}")));

            // Then: the unit is set aside with a reason that says so; the count after it is applied
            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                dead.addAll(Kafka.poll(dlq, r -> sku.equals(r.key())));
                assertThat(dead).isNotEmpty();
            });
            assertThat(Kafka.header(dead.get(0), "dlq-reason")).isEqualTo("on-hand-above-limit");
            await().atMost(Duration.ofSeconds(30)).until(() -> db.level(sku, location)[0] == 5);
            assertThat(db.ledgerMismatches(sku)).isEmpty();
        }
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> received(String sku,
                                                                                             String location, int q) {
        return Kafka.binary(UUID.randomUUID().toString(), "stock.received", sku,
                "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":" + q + "}");
    }
}
