package dev.stockroom.reservation;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Holds give their quantity back by themselves once their time is up. */
@QuarkusTest
class ExpiryTest {

    @Inject
    TestClock clock;

    @Inject
    ReservationConfig config;

    @Inject
    Db db;

    @Test
    void sweep_holdPastItsTtl_returnsQuantityWithinTheBound() {
        // Given
        String location = Api.unique("WH");
        String sku = Api.unique("EXP");
        Api.location(location, 1);
        Api.stock(sku, location, 10);
        String shortHold = Api.reserveOk(Map.of("orderRef", "o", "ttlSeconds", 60, "lines", List.of(Api.line(sku, 4,
                null))));
        String longHold = Api.reserveOk(Map.of("orderRef", "o", "ttlSeconds", 3600, "lines", List.of(Api.line(sku, 1,
                null))));

        // When: time passes the short hold's expiry
        clock.advance(Duration.ofSeconds(61));

        // Then: within one sweep interval (plus a generous margin for a busy machine) the quantity is back
        await().atMost(config.expiry().interval().multipliedBy(10))
                .untilAsserted(() -> assertThat(db.level(sku, location)[1]).isEqualTo(1));
        given().get("/v1/reservations/{id}", shortHold).then().body("status", equalTo("EXPIRED"));
        given().get("/v1/reservations/{id}", longHold).then().body("status", equalTo("HELD"));
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE reservation_id = ?::uuid AND kind = 'EXPIRE'",
                shortHold)).isEqualTo(1);
        assertThat(db.ledgerMismatches(sku)).isEmpty();
    }

    @Test
    void commit_afterExpiryBeforeSweep_isHoldExpired() {
        // Given
        String location = Api.unique("WH");
        String sku = Api.unique("EXP");
        Api.location(location, 1);
        Api.stock(sku, location, 10);
        String hold = Api.reserveOk(Map.of("orderRef", "o", "ttlSeconds", 30, "lines", List.of(Api.line(sku, 2,
                null))));

        // When
        clock.advance(Duration.ofSeconds(31));

        // Then: expired whether or not the sweeper got to it yet
        given().post("/v1/reservations/{id}/commit", hold).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://stockroom.dev/problems/hold-expired"));
        assertThat(db.level(sku, location)[2]).isZero();
    }
}
