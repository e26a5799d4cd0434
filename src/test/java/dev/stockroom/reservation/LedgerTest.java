package dev.stockroom.reservation;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The ledger explains every quantity: summing its deltas gives back each stock level. */
@QuarkusTest
class LedgerTest {

    @Inject
    Db db;

    @Inject
    TestClock clock;

    @Test
    void ledger_afterRandomHoldsCommitsReleasesExpiriesAndCorrections_recomputesStockLevels() {
        // Given
        String prefix = Api.unique("LEDGER");
        List<String> locations = List.of(Api.unique("WH"), Api.unique("WH"));
        for (int i = 0; i < locations.size(); i++) {
            Api.location(locations.get(i), i + 1);
        }
        List<String> skus = List.of(prefix + "-a", prefix + "-b", prefix + "-c");
        for (String sku : skus) {
            for (String location : locations) {
                Api.stock(sku, location, 20);
            }
        }
        Random random = new Random(7);
        List<String> holds = new ArrayList<>();

        // When: a random walk over every kind of change
        for (int step = 0; step < 150; step++) {
            String sku = skus.get(random.nextInt(skus.size()));
            String location = locations.get(random.nextInt(locations.size()));
            switch (random.nextInt(6)) {
                case 0, 1 -> {
                    int ttl = random.nextBoolean() ? 5 : 3600;
                    var answer = Api.reserve(Map.of("orderRef", "walk", "ttlSeconds", ttl,
                            "lines", List.of(Api.line(sku, 1 + random.nextInt(3), random.nextBoolean() ? location
                                    : null))));
                    if (answer.extract().statusCode() == 201) {
                        holds.add(answer.extract().path("id"));
                    }
                }
                case 2 -> pick(holds, random).ifPresent(id -> given().post("/v1/reservations/{id}/commit", id));
                case 3 -> pick(holds, random).ifPresent(id -> given().delete("/v1/reservations/{id}", id));
                case 4 -> given().contentType(ContentType.JSON)
                        .body(Map.of("onHand", 10 + random.nextInt(30), "safetyStock", random.nextInt(3)))
                        .put("/v1/stock/{sku}/locations/{location}", sku, location);
                default -> clock.advance(Duration.ofSeconds(2));
            }
        }
        clock.advance(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(30)).until(() -> db.scalar("SELECT count(*) FROM reservation r"
                + " JOIN reservation_line l ON l.reservation_id = r.id WHERE l.sku LIKE ? AND r.status = 'HELD'"
                + " AND r.expires_at < ?", prefix + "%", java.sql.Timestamp.from(clock.instant())) == 0);

        // Then
        assertThat(db.scalar("SELECT count(DISTINCT kind) FROM stock_movement WHERE sku LIKE ?", prefix + "%"))
                .as("every kind of change happened").isGreaterThanOrEqualTo(5);
        assertThat(db.ledgerMismatches(prefix)).isEmpty();
        assertThat(db.scalar("SELECT count(*) FROM stock_level WHERE sku LIKE ? AND (on_hand < 0 OR reserved < 0"
                + " OR committed < 0)", prefix + "%")).isZero();
    }

    private static java.util.Optional<String> pick(List<String> holds, Random random) {
        return holds.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(holds.get(random.nextInt(holds
                .size())));
    }
}
