package dev.stockroom.reservation;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** A hold's life through the API: sourced, committed, released, cancelled. */
@QuarkusTest
class ReservationLifecycleTest {

    @Inject
    Db db;

    @Test
    void reserve_withoutLocation_takesLowestPriorityNumberThatCoversTheLine() {
        // Given: the preferred location has too little, two others tie on priority
        String preferred = Api.unique("A");
        String small = Api.unique("B");
        String large = Api.unique("C");
        Api.location(preferred, 1);
        Api.location(small, 5);
        Api.location(large, 5);
        String sku = Api.unique("SRC");
        Api.stock(sku, preferred, 2);
        Api.stock(sku, small, 4);
        Api.stock(sku, large, 9);

        // When / Then: 3 units skip the preferred location, and take the one with most available among equals
        Api.reserve(Api.hold("o", List.of(Api.line(sku, 3, null)))).statusCode(201)
                .body("lines[0].location", equalTo(large));
        // 2 units fit the preferred location
        Api.reserve(Api.hold("o", List.of(Api.line(sku, 2, null)))).statusCode(201)
                .body("lines[0].location", equalTo(preferred));
        // 7 units: no single location has them (4 and 6 left), so nothing is held
        Api.reserve(Api.hold("o", List.of(Api.line(sku, 7, null)))).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("https://stockroom.dev/problems/insufficient-stock"))
                .body("shortages[0].sku", equalTo(sku))
                .body("shortages[0].requested", equalTo(7))
                .body("shortages[0].available", equalTo(6));
    }

    @Test
    void reserve_sameLineListedTwice_holdsTheSumAsOneLine() {
        // Given
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("TWICE");
        String sourced = Api.unique("TWICE");
        Api.stock(sku, location, 10);
        Api.stock(sourced, location, 10);

        // When: a cart lists each item twice, once at a named location and once left to sourcing
        String id = Api.reserve(Api.hold("o", List.of(Api.line(sku, 2, location), Api.line(sourced, 1, null),
                Api.line(sku, 3, location), Api.line(sourced, 4, null))))
                .statusCode(201)
                .body("lines", hasSize(2))
                .body("lines.find { it.sku == '" + sku + "' }.quantity", equalTo(5))
                .body("lines.find { it.sku == '" + sourced + "' }.quantity", equalTo(5))
                .extract().path("id");

        // Then: one reservation line and one ledger row per (sku, location)
        assertThat(db.level(sku, location)[1]).isEqualTo(5);
        assertThat(db.level(sourced, location)[1]).isEqualTo(5);
        assertThat(db.scalar("SELECT count(*) FROM reservation_line WHERE reservation_id = ?::uuid", id)).isEqualTo(2);
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE reservation_id = ?::uuid", id)).isEqualTo(2);
    }

    @Test
    void reserve_oneLineShort_holdsNothingAndReportsEveryShortLine() {
        // Given
        String location = Api.unique("WH");
        Api.location(location, 1);
        String plenty = Api.unique("OK");
        String scarce = Api.unique("LOW");
        Api.stock(plenty, location, 10);
        Api.stock(scarce, location, 1);

        long versions = db.scalar("SELECT sum(version) FROM stock_level WHERE sku IN (?, ?)", plenty, scarce);

        // When: the first line (in lock order) is held and its rows written before the second fails
        String order = Api.unique("short");
        Api.reserve(Api.hold(order, List.of(Api.line(plenty, 5, location), Api.line(scarce, 2, location))))
                .statusCode(409)
                .body("shortages", hasSize(1))
                .body("shortages[0].sku", equalTo(scarce))
                .body("shortages[0].available", equalTo(1));

        // Then: neither its quantity nor any row it wrote outlives the failed hold
        assertThat(db.level(plenty, location)).containsExactly(10, 0, 0, 0);
        assertThat(db.level(scarce, location)).containsExactly(1, 0, 0, 0);
        assertThat(db.scalar("SELECT count(*) FROM reservation WHERE order_ref = ?", order)).isZero();
        assertThat(db.scalar("SELECT count(*) FROM reservation_line WHERE sku IN (?, ?)", plenty, scarce)).isZero();
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE sku IN (?, ?) AND kind = 'HOLD'", plenty,
                scarce))
                .isZero();
        assertThat(db.scalar("SELECT sum(version) FROM stock_level WHERE sku IN (?, ?)", plenty, scarce))
                .isEqualTo(versions);
    }

    @Test
    void reserve_twoLines_writesOneReservationLineAndOneLedgerRowPerLine() {
        // Given: one line at a named location, one sourced
        String location = Api.unique("WH");
        Api.location(location, 1);
        String named = Api.unique("NAMED");
        String sourced = Api.unique("SOURCED");
        Api.stock(named, location, 10);
        Api.stock(sourced, location, 10);

        // When
        String id = Api.reserveOk(Api.hold("o", List.of(Api.line(sourced, 2, null), Api.line(named, 3, location))));

        // Then
        assertThat(db.rows(
                "SELECT sku, location, quantity, shipped FROM reservation_line WHERE reservation_id = ?::uuid"
                        + " ORDER BY sku", id)).containsExactly(
                                Map.of("sku", named, "location", location, "quantity", 3, "shipped", 0),
                                Map.of("sku", sourced, "location", location, "quantity", 2, "shipped", 0));
        assertThat(db.rows("SELECT sku, location, kind, reserved_delta, committed_delta, on_hand_delta"
                + " FROM stock_movement WHERE reservation_id = ?::uuid ORDER BY sku", id)).containsExactly(
                        Map.of("sku", named, "location", location, "kind", "HOLD", "reserved_delta", 3,
                                "committed_delta", 0,
                                "on_hand_delta", 0),
                        Map.of("sku", sourced, "location", location, "kind", "HOLD", "reserved_delta", 2,
                                "committed_delta", 0,
                                "on_hand_delta", 0));
        assertThat(db.ledgerMismatches(named)).isEmpty();
        assertThat(db.ledgerMismatches(sourced)).isEmpty();
    }

    @Test
    void commitAndRelease_moveQuantitiesAndRepeatSafely() {
        // Given
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("LIFE");
        Api.stock(sku, location, 10);
        String toCommit = Api.reserveOk(Api.hold("o-1", List.of(Api.line(sku, 3, location))));
        String toRelease = Api.reserveOk(Api.hold("o-2", List.of(Api.line(sku, 2, location))));
        assertThat(db.level(sku, location)).containsExactly(10, 5, 0, 0);

        // When / Then: commit, twice
        given().post("/v1/reservations/{id}/commit", toCommit).then().statusCode(200).body("status", equalTo(
                "COMMITTED"));
        given().post("/v1/reservations/{id}/commit", toCommit).then().statusCode(200).body("status", equalTo(
                "COMMITTED"));
        assertThat(db.level(sku, location)).containsExactly(10, 2, 3, 0);

        // release, twice
        given().delete("/v1/reservations/{id}", toRelease).then().statusCode(200).body("status", equalTo("RELEASED"));
        given().delete("/v1/reservations/{id}", toRelease).then().statusCode(200).body("status", equalTo("RELEASED"));
        assertThat(db.level(sku, location)).containsExactly(10, 0, 3, 0);

        // cancel the committed order
        given().delete("/v1/reservations/{id}", toCommit).then().statusCode(200).body("status", equalTo("RELEASED"));
        assertThat(db.level(sku, location)).containsExactly(10, 0, 0, 0);
        assertThat(db.rows("SELECT kind FROM stock_movement WHERE sku = ? ORDER BY id", sku).stream()
                .map(r -> r.get("kind")).toList())
                .containsExactly("CORRECTION", "HOLD", "HOLD", "COMMIT", "RELEASE", "CANCEL");
        assertThat(db.ledgerMismatches(sku)).isEmpty();
    }

    @Test
    void stock_readsTotalsAndLocations_safetyStockAndInactiveLocationsAreNotAvailable() {
        // Given
        String open = Api.unique("OPEN");
        String closed = Api.unique("SHUT");
        Api.location(open, 1);
        Api.location(closed, 2);
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "Closed", "kind", "STORE", "priority", 2, "active", false))
                .put("/v1/locations/{code}", closed).then().statusCode(200).body("active", equalTo(false));
        String sku = Api.unique("READ");
        given().contentType(ContentType.JSON).body(Map.of("onHand", 10, "safetyStock", 2, "reason", "cycle count"))
                .put("/v1/stock/{sku}/locations/{location}", sku, open).then().statusCode(201);
        Api.stock(sku, closed, 5);
        Api.reserveOk(Api.hold("o", List.of(Api.line(sku, 3, open))));

        // When / Then
        given().get("/v1/stock/{sku}", sku).then().statusCode(200)
                .body("sku", equalTo(sku))
                .body("onHand", equalTo(15)).body("reserved", equalTo(3)).body("committed", equalTo(0))
                .body("available", equalTo(5))
                .body("locations.location", containsInAnyOrder(open, closed))
                .body("locations.find { it.location == '" + closed + "' }.available", equalTo(0));
        String unknown = Api.unique("NONE");
        given().get("/v1/stock?sku={a}&sku={b}", sku, unknown).then().statusCode(200)
                .body("items.sku", containsInAnyOrder(sku)).body("unknown", containsInAnyOrder(unknown));
        given().get("/v1/stock/{sku}", unknown).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("https://stockroom.dev/problems/sku-not-found"));
    }
}
