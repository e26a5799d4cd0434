package dev.stockroom.reservation;

import dev.stockroom.platform.security.Roles;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Http;
import dev.stockroom.support.WideShedding;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** Many checkouts racing for one SKU: the database grants exactly what is there and not one unit more. */
@QuarkusTest
@TestProfile(WideShedding.class)
class FlashSaleTest {

    private static final int THREADS = 64;
    private static final int ATTEMPTS = 2_000;

    @TestHTTPResource("/v1/reservations")
    URI reservations;

    @Inject
    Db db;

    @Test
    void reserve_2000RacingForOneHundredUnits_exactlyOneHundredWin() throws Exception {
        // Given
        String location = Api.unique("WH");
        String sku = Api.unique("DROP");
        Api.location(location, 1);
        Api.stock(sku, location, 100);
        String body = "{\"orderRef\":\"o\",\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";

        // When
        List<Callable<Integer>> attempts = new ArrayList<>();
        for (int i = 0; i < ATTEMPTS; i++) {
            attempts.add(() -> Http.as(Roles.STOREFRONT).post(reservations, body, null).statusCode());
        }
        List<Integer> statuses = Http.concurrently(THREADS, attempts);

        // Then
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(100);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(1_900);
        assertThat(db.level(sku, location)).containsExactly(100, 100, 0, 0);
        Api.reserve(Api.hold("check", List.of(Api.line(sku, 1, null)))).statusCode(409);
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ? AND kind = 'HOLD'", sku)).isEqualTo(
                100);
        assertThat(db.ledgerMismatches(sku)).isEmpty();
    }

    @Test
    void reserve_randomSizesRacing_neverGrantsMoreThanStock() throws Exception {
        // Given
        String location = Api.unique("WH");
        String sku = Api.unique("DROP");
        Api.location(location, 1);
        Api.stock(sku, location, 300);
        Random random = new Random(42);

        // When
        List<Callable<int[]>> attempts = new ArrayList<>();
        for (int i = 0; i < ATTEMPTS; i++) {
            int quantity = 1 + random.nextInt(5);
            String body = "{\"orderRef\":\"o\",\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}]}";
            attempts.add(() -> new int[]{Http.as(Roles.STOREFRONT).post(reservations, body, null).statusCode(),
                    quantity});
        }
        List<int[]> outcomes = Http.concurrently(THREADS, attempts);

        // Then
        assertThat(outcomes).allSatisfy(o -> assertThat(o[0]).isIn(201, 409));
        int granted = outcomes.stream().filter(o -> o[0] == 201).mapToInt(o -> o[1]).sum();
        int[] level = db.level(sku, location);
        assertThat(granted).isLessThanOrEqualTo(300).isEqualTo(level[1]);
        // Sold out: what is left cannot cover even the smallest request that was refused.
        int smallestRefused = outcomes.stream().filter(o -> o[0] == 409).mapToInt(o -> o[1]).min().orElseThrow();
        assertThat(300 - granted).isLessThan(smallestRefused);
        assertThat(java.util.Arrays.stream(level).min().orElseThrow()).isNotNegative();
        assertThat(db.scalar("SELECT count(*) FROM stock_level WHERE on_hand < 0 OR reserved < 0 OR committed < 0"))
                .isZero();
        assertThat(db.ledgerMismatches(sku)).isEmpty();
        assertThat(db.rows("SELECT sum(l.quantity) AS held FROM reservation_line l JOIN reservation r"
                + " ON r.id = l.reservation_id WHERE l.sku = ? AND r.status = 'HELD'", sku))
                .containsExactly(Map.of("held", (long) granted));
    }
}
