package dev.stockroom.reservation;

import dev.stockroom.platform.security.Roles;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Http;
import dev.stockroom.support.WideShedding;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Retries with an Idempotency-Key replay the first answer instead of holding twice. */
@QuarkusTest
@TestProfile(WideShedding.class)
class IdempotencyTest {

    @TestHTTPResource("/v1/reservations")
    URI reservations;

    @Inject
    Db db;

    @Test
    void reserve_sameKeySameBody_replaysFirstAnswer() {
        // Given
        String sku = stocked(10);
        String key = Api.unique("key");
        Object body = Api.hold("order-1", List.of(Api.line(sku, 2, null)));
        String id = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/v1/reservations").then().statusCode(201).extract().path("id");

        // When
        var replay = given().contentType(ContentType.JSON).header("Idempotency-Key", key).body(body)
                .post("/v1/reservations").then();

        // Then
        replay.statusCode(201).header("Idempotent-Replayed", "true").header("Location", org.hamcrest.Matchers.endsWith(
                id))
                .body("id", equalTo(id)).body("status", equalTo("HELD"));
        assertThat(db.scalar("SELECT reserved FROM stock_level WHERE sku = ?", sku)).isEqualTo(2);
    }

    @Test
    void reserve_sameKeyOtherBody_is422AndChangesNothing() {
        // Given
        String sku = stocked(10);
        String key = Api.unique("key");
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Api.hold("order-1", List.of(Api.line(sku, 2, null)))).post("/v1/reservations")
                .then().statusCode(201);

        // When / Then
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Api.hold("order-1", List.of(Api.line(sku, 3, null)))).post("/v1/reservations")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://stockroom.dev/problems/idempotency-key-reused"));
        assertThat(db.scalar("SELECT reserved FROM stock_level WHERE sku = ?", sku)).isEqualTo(2);
    }

    @Test
    void reserve_concurrentDuplicates_createOneHold() throws Exception {
        // Given
        String sku = stocked(100);
        String key = Api.unique("key");
        String body = "{\"orderRef\":\"dup\",\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":3}]}";

        // When
        List<Callable<HttpResponse<String>>> retries = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            retries.add(() -> Http.as(Roles.STOREFRONT).post(reservations, body, key));
        }
        List<HttpResponse<String>> answers = Http.concurrently(32, retries);

        // Then
        assertThat(answers).allSatisfy(a -> assertThat(a.statusCode()).isEqualTo(201));
        assertThat(answers.stream().map(a -> a.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1")).distinct())
                .hasSize(1);
        assertThat(db.scalar("SELECT count(*) FROM reservation WHERE idempotency_key = ?", key)).isEqualTo(1);
        assertThat(db.scalar("SELECT reserved FROM stock_level WHERE sku = ?", sku)).isEqualTo(3);
    }

    private static String stocked(int onHand) {
        String location = Api.unique("WH");
        String sku = Api.unique("IDEM");
        Api.location(location, 1);
        Api.stock(sku, location, onHand);
        return sku;
    }
}
