package dev.stockroom.warehouse;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Kafka;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Shipping against committed reservations, and shrinkage below what was promised. */
@QuarkusTest
class ShipmentTest {

    @Inject
    Db db;

    @Inject
    MeterRegistry registry;

    @Test
    void ship_allCommittedLines_fulfilsReservation() {
        // Given: a committed order of 3 + 2 units over two SKUs
        String location = Api.unique("WH");
        Api.location(location, 1);
        String a = Api.unique("SHIP-A");
        String b = Api.unique("SHIP-B");
        Api.stock(a, location, 10);
        Api.stock(b, location, 10);
        String id = Api.reserveOk(Api.hold("order-1", List.of(Api.line(a, 3, location), Api.line(b, 2, location))));
        given().post("/v1/reservations/{id}/commit", id).then().statusCode(200);

        // When: the first SKU ships in two parts, the second in one
        Kafka.send(List.of(shipped(a, location, 1, id), shipped(a, location, 2, id)));
        await().atMost(Duration.ofSeconds(30)).until(() -> db.level(a, location)[0] == 7);
        String statusAfterFirst = given().get("/v1/reservations/{id}", id).then().extract().path("status");
        Kafka.send(List.of(shipped(b, location, 2, id)));

        // Then
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/v1/reservations/{id}", id).then().body(
                "status", org.hamcrest.Matchers.is("FULFILLED")));
        assertThat(statusAfterFirst).isEqualTo("COMMITTED");
        assertThat(db.level(a, location)).containsExactly(7, 0, 0, 0);
        assertThat(db.level(b, location)).containsExactly(8, 0, 0, 0);
        assertThat(db.ledgerMismatches(a)).isEmpty();
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ? AND kind = 'SHIPPED'", a)).isEqualTo(2);
        given().delete("/v1/reservations/{id}", id).then().statusCode(409);
    }

    @Test
    void ship_moreThanCommitted_deadLetteredAndChangesNothing() {
        // Given: a committed order of 2 units
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("SHIP-X");
        Api.stock(sku, location, 10);
        String id = Api.reserveOk(Api.hold("order-2", List.of(Api.line(sku, 2, location))));
        given().post("/v1/reservations/{id}/commit", id).then().statusCode(200);

        try (KafkaConsumer<String, byte[]> dlq = Kafka.consumer(Kafka.DLQ)) {
            // When: 3 ship, then a marker event behind it in the same partition
            Kafka.send(List.of(shipped(sku, location, 3, id), received(sku, location, 1)));

            // Then: the shipment is set aside with its reason; the marker shows the consumer went on
            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                dead.addAll(Kafka.poll(dlq, r -> sku.equals(r.key())));
                assertThat(dead).hasSize(1);
            });
            assertThat(Kafka.header(dead.get(0), "dlq-reason")).isEqualTo("shipped-exceeds-committed");
            await().atMost(Duration.ofSeconds(30)).until(() -> db.level(sku, location)[0] == 11);
        }
        assertThat(db.level(sku, location)).containsExactly(11, 0, 2, 0);
        given().get("/v1/reservations/{id}", id).then().body("status", org.hamcrest.Matchers.is("COMMITTED"));
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ? AND kind = 'SHIPPED'", sku)).isZero();
    }

    @Test
    void release_partlyShippedOrder_givesBackOnlyUnshipped() {
        // Given: a committed order of 4, of which 1 shipped
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("SHIP-P");
        Api.stock(sku, location, 10);
        String id = Api.reserveOk(Api.hold("order-3", List.of(Api.line(sku, 4, location))));
        given().post("/v1/reservations/{id}/commit", id).then().statusCode(200);
        Kafka.send(List.of(shipped(sku, location, 1, id)));
        await().atMost(Duration.ofSeconds(30)).until(() -> db.level(sku, location)[0] == 9);

        // When: the order is cancelled
        given().delete("/v1/reservations/{id}", id).then().statusCode(200);

        // Then: the 3 unshipped units are free again; the shipped one stays shipped
        assertThat(db.level(sku, location)).containsExactly(9, 0, 0, 0);
        assertThat(db.ledgerMismatches(sku)).isEmpty();
    }

    @Test
    void count_belowWhatIsHeld_appliedCountedAsOversoldHoldsKept() {
        // Given: 5 on hand, 4 of them held by a checkout
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("SHRINK");
        Api.stock(sku, location, 5);
        Api.reserveOk(Api.hold("order-4", List.of(Api.line(sku, 4, location))));
        double before = oversold(location);

        // When: a cycle count finds only 2
        Kafka.send(List.of(Kafka.binary(UUID.randomUUID().toString(), "stock.counted", sku,
                "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":2}")));

        // Then: the shelf is what it is, the hold stays, and the shrinkage is counted
        await().atMost(Duration.ofSeconds(30)).until(() -> db.level(sku, location)[0] == 2);
        assertThat(db.level(sku, location)).containsExactly(2, 4, 0, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> oversold(location) == before + 1);
        assertThat(db.ledgerMismatches(sku)).isEmpty();
    }

    private double oversold(String location) {
        var counter = registry.find("stockroom.stock.oversold").tag("location", location).counter();
        return counter == null ? 0 : counter.count();
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> shipped(String sku, String location,
                                                                                            int quantity,
                                                                                            String reservation) {
        return Kafka.binary(UUID.randomUUID().toString(), "stock.shipped", sku, "{\"sku\":\"" + sku
                + "\",\"location\":\"" + location + "\",\"quantity\":" + quantity + ",\"reservationId\":\""
                + reservation + "\"}");
    }

    private static org.apache.kafka.clients.producer.ProducerRecord<String, byte[]> received(String sku,
                                                                                             String location,
                                                                                             int quantity) {
        return Kafka.binary(UUID.randomUUID().toString(), "stock.received", sku, "{\"sku\":\"" + sku
                + "\",\"location\":\"" + location + "\",\"quantity\":" + quantity + "}");
    }
}
