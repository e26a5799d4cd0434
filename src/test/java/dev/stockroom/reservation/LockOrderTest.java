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
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** Carts that name the same SKUs in opposite orders must not deadlock: every writer locks rows in one order. */
@QuarkusTest
@TestProfile(WideShedding.class)
class LockOrderTest {

    @TestHTTPResource("/v1/reservations")
    URI reservations;

    @Inject
    Db db;

    @Test
    void reserve_sameTwoSkusInOppositeOrder_noDeadlockAndAllOrNothing() throws Exception {
        // Given: 150 of A but only 100 of B, so some carts must fail on their second line
        String location = Api.unique("WH");
        String a = Api.unique("A");
        String b = Api.unique("B");
        Api.location(location, 1);
        Api.stock(a, location, 150);
        Api.stock(b, location, 100);
        String ab = body(a, b);
        String ba = body(b, a);

        // When
        List<Callable<Integer>> carts = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            String body = i % 2 == 0 ? ab : ba;
            carts.add(() -> Http.as(Roles.STOREFRONT).post(reservations, body, null).statusCode());
        }
        List<Integer> statuses = Http.concurrently(32, carts);

        // Then: no deadlock (it would surface as a 500), and every cart got both lines or neither
        assertThat(statuses).allSatisfy(s -> assertThat(s).isIn(201, 409));
        long granted = statuses.stream().filter(s -> s == 201).count();
        assertThat(granted).isEqualTo(100);
        assertThat(db.level(a, location)[1]).isEqualTo(100);
        assertThat(db.level(b, location)[1]).isEqualTo(100);
        assertThat(db.scalar("SELECT count(*) FROM reservation r WHERE (SELECT count(*) FROM reservation_line l"
                + " WHERE l.reservation_id = r.id AND l.sku IN (?, ?)) = 1", a, b)).isZero();
        assertThat(db.ledgerMismatches(a)).isEmpty();
        assertThat(db.ledgerMismatches(b)).isEmpty();
    }

    private static String body(String first, String second) {
        return "{\"orderRef\":\"cart\",\"lines\":[{\"sku\":\"" + first + "\",\"quantity\":1},{\"sku\":\"" + second
                + "\",\"quantity\":1}]}";
    }
}
