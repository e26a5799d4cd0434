package dev.stockroom.reservation;

import dev.stockroom.platform.security.Roles;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Http;
import dev.stockroom.support.TestClock;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The combiner's batches, made visible: one writer, held up by a stock row that a transaction outside the service
 * has locked, so that holds queue behind it and the next batch takes them all at once.
 */
@QuarkusTest
@TestProfile(HoldBatchingTest.OneShortWriter.class)
class HoldBatchingTest {

    /** One writer with room for two waiting holds; database timeouts that outlast the outside lock. */
    public static class OneShortWriter implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockroom.holds.writers", "1",
                    "stockroom.holds.queue-capacity", "3",
                    "quarkus.datasource.jdbc.additional-jdbc-properties.options",
                    "-c statement_timeout=60000 -c lock_timeout=60000");
        }
    }

    private static final Duration BOUND = Duration.ofSeconds(30);

    @TestHTTPResource("/v1/reservations")
    URI reservations;

    @Inject
    HoldCombiner combiner;

    @Inject
    HoldsConfig config;

    @Inject
    TestClock clock;

    @Inject
    Db db;

    @Test
    void batch_twoLineHoldWithOneLineShort_holdsNeitherLineAndTheOthersAreDecidedWithoutIt() throws Exception {
        // Given: 8 of A and 1 of B; the writer is held up by a hold of A waiting on an outside lock
        String location = Api.unique("WH");
        String a = Api.unique("A");
        String b = Api.unique("B");
        Api.location(location, 1);
        Api.stock(a, location, 8);
        Api.stock(b, location, 1);
        try (Connection outside = Db.lockOutside(a, location)) {
            CompletableFuture<HttpResponse<String>> first = hold(a, 1, "o");
            awaitWaitingOnLock();

            // When: three holds queue up behind it, in this order, and are placed together
            CompletableFuture<HttpResponse<String>> second = hold(a, 2, "o");
            await().atMost(BOUND).until(() -> combiner.queued() == 1);
            CompletableFuture<HttpResponse<String>> both = post("{\"orderRef\":\"two-lines\",\"lines\":["
                    + line(a, 3) + "," + line(b, 5) + "]}");
            await().atMost(BOUND).until(() -> combiner.queued() == 2);
            CompletableFuture<HttpResponse<String>> third = hold(a, 4, "o");
            await().atMost(BOUND).until(() -> combiner.queued() == 3);
            outside.rollback();

            // Then: the two-line hold holds nothing, and the hold after it gets what it would have got without it
            assertThat(first.get().statusCode()).isEqualTo(201);
            assertThat(second.get().statusCode()).isEqualTo(201);
            assertThat(both.get().statusCode()).isEqualTo(409);
            assertThat(both.get().body()).contains("\"sku\":\"" + b + "\"").contains("\"available\":1")
                    .doesNotContain("\"sku\":\"" + a + "\"");
            assertThat(third.get().statusCode()).isEqualTo(201);
        }
        assertThat(db.level(a, location)).containsExactly(8, 7, 0, 0);
        assertThat(db.level(b, location)).containsExactly(1, 0, 0, 0);
        // the three that queued were one batch: one transaction, one time
        assertThat(db.scalar("SELECT count(DISTINCT r.created_at) FROM reservation r JOIN reservation_line l"
                + " ON l.reservation_id = r.id WHERE l.sku = ? AND l.quantity IN (2, 4)", a)).isEqualTo(1);
        assertThat(db.scalar("SELECT count(*) FROM reservation WHERE order_ref = ?", "two-lines")).isZero();
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ?", b)).isEqualTo(1);
        assertThat(db.ledgerMismatches(a)).isEmpty();
    }

    @Test
    void reserve_queueFull_is503AtOnceWithNothingHeld() throws Exception {
        // Given: the writer is held up, and its queue holds three
        String location = Api.unique("WH");
        String a = Api.unique("FULL");
        Api.location(location, 1);
        Api.stock(a, location, 10);
        try (Connection outside = Db.lockOutside(a, location)) {
            CompletableFuture<HttpResponse<String>> first = hold(a, 1, "o");
            awaitWaitingOnLock();
            List<CompletableFuture<HttpResponse<String>>> queued = List.of(hold(a, 1, "o"), hold(a, 1, "o"),
                    hold(a, 1, "o"));
            await().atMost(BOUND).until(() -> combiner.queued() == 3);

            // When
            HttpResponse<String> shed = hold(a, 5, "shed").get();

            // Then
            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(shed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(shed.body()).contains("https://stockroom.dev/problems/service-unavailable");
            outside.rollback();
            assertThat(first.get().statusCode()).isEqualTo(201);
            assertThat(queued).allSatisfy(q -> assertThat(q.get().statusCode()).isEqualTo(201));
        }
        assertThat(db.scalar("SELECT count(*) FROM reservation WHERE order_ref = 'shed'")).isZero();
        assertThat(db.level(a, location)).containsExactly(10, 4, 0, 0);
    }

    @Test
    void reserve_deadlinePassedInTheQueue_is503AndNeverPlaced() throws Exception {
        // Given: a hold waits in the queue while the writer is held up
        String location = Api.unique("WH");
        String a = Api.unique("LATE");
        Api.location(location, 1);
        Api.stock(a, location, 10);
        CompletableFuture<HttpResponse<String>> late;
        try (Connection outside = Db.lockOutside(a, location)) {
            CompletableFuture<HttpResponse<String>> first = hold(a, 1, "o");
            awaitWaitingOnLock();
            late = hold(a, 2, "late");
            await().atMost(BOUND).until(() -> combiner.queued() == 1);

            // When: its deadline passes before a writer takes it
            clock.advance(config.enterDeadline().plusSeconds(1));
            outside.rollback();
            assertThat(first.get().statusCode()).isEqualTo(201);
        }

        // Then
        assertThat(late.get().statusCode()).isEqualTo(503);
        assertThat(late.get().headers().firstValue("Retry-After")).hasValue("1");
        assertThat(db.scalar("SELECT count(*) FROM reservation WHERE order_ref = 'late'")).isZero();
        assertThat(db.level(a, location)).containsExactly(10, 1, 0, 0);
    }

    private void awaitWaitingOnLock() {
        await().atMost(BOUND).until(() -> combiner.queued() == 0
                && db.scalar("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                        + " AND application_name = 'stockroom-write'") >= 1);
    }

    private CompletableFuture<HttpResponse<String>> hold(String sku, int quantity, String orderRef) {
        return post("{\"orderRef\":\"" + orderRef + "\",\"lines\":[" + line(sku, quantity) + "]}");
    }

    private CompletableFuture<HttpResponse<String>> post(String body) {
        return CompletableFuture.supplyAsync(() -> Http.as(Roles.STOREFRONT).post(reservations, body, null));
    }

    private static String line(String sku, int quantity) {
        return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
    }
}
