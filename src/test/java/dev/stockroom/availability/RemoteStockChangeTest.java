package dev.stockroom.availability;

import dev.stockroom.support.Api;
import dev.stockroom.support.Kafka;
import io.quarkus.test.junit.QuarkusTest;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Another replica's writes reach this replica's cache through stock.changed events, newest version first. */
@QuarkusTest
class RemoteStockChangeTest {

    @Test
    void stockChanged_fromAnotherReplica_updatesTheCacheAndAnOlderVersionDoesNot() {
        // Given: a SKU at two locations, cached
        String a = Api.unique("A");
        String b = Api.unique("B");
        Api.location(a, 1);
        Api.location(b, 2);
        String sku = Api.unique("REMOTE");
        Api.stock(sku, a, 10);
        Api.stock(sku, b, 10);
        given().get("/v1/stock/{sku}", sku).then().statusCode(200).body("onHand", equalTo(20));

        // When: another replica's change arrives (re-sent until this replica's consumer has joined: applying the
        // same version twice changes nothing)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            Kafka.send(List.of(changed(sku, a, 7, 50)));
            given().get("/v1/stock/{sku}", sku).then().statusCode(200)
                    .body("locations.find { it.location == '" + a + "' }.onHand", equalTo(7));
        });

        // And then an older version of the same level, followed by a newer change of the other location (same
        // SKU, same partition: once the second is applied, the first has been seen)
        Kafka.send(List.of(changed(sku, a, 999, 40), changed(sku, b, 3, 50)));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/v1/stock/{sku}", sku).then()
                .body("locations.find { it.location == '" + b + "' }.onHand", equalTo(3)));

        // Then: the older version did not overwrite the newer one
        given().get("/v1/stock/{sku}", sku).then().statusCode(200)
                .body("locations.find { it.location == '" + a + "' }.onHand", equalTo(7))
                .body("onHand", equalTo(10));
    }

    private static ProducerRecord<String, byte[]> changed(String sku, String location, int onHand, long version) {
        String data = "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"onHand\":" + onHand
                + ",\"reserved\":0,\"committed\":0,\"safetyStock\":0,\"available\":" + onHand + ",\"version\":"
                + version + ",\"changedAt\":\"" + Instant.now() + "\"}";
        // As another replica's outbox relay publishes it: a binary-mode CloudEvent keyed by SKU.
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(sku + "/" + location + "/" + version));
        headers.add("ce_type", bytes("stock.changed"));
        headers.add("ce_source", bytes("/stockroom/another-replica"));
        headers.add("content-type", bytes("application/json"));
        return new ProducerRecord<>(Kafka.CHANGES, null, sku, bytes(data), headers);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
