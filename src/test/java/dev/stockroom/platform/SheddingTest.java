package dev.stockroom.platform;

import dev.stockroom.platform.security.Roles;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Http;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With the write bulkhead full, further writes are answered 503 with Retry-After at once and change nothing. Holds
 * of the direct engine take its permits; the combining engine sheds with its own queues (HoldBatchingTest).
 */
@QuarkusTest
@TestProfile(SheddingTest.SmallBulkhead.class)
class SheddingTest {

    /**
     * The direct hold engine (each hold its own transaction, behind the write bulkhead), two permits and the
     * production-like short wait; long database timeouts so the blocked holds outlast the test.
     */
    public static class SmallBulkhead implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockroom.flags.file", "deploy/base/flags/flags.json",
                    "stockroom.shedding.permits", "2",
                    "stockroom.shedding.max-wait", "50ms",
                    "quarkus.datasource.jdbc.additional-jdbc-properties.options",
                    "-c statement_timeout=30000 -c lock_timeout=30000");
        }
    }

    private static final Http.Caller STOREFRONT = Http.as(Roles.STOREFRONT);

    @TestHTTPResource("/v1/reservations")
    URI reservations;

    @Inject
    WriteBulkhead bulkhead;

    @Inject
    Db db;

    @Test
    void reserve_bulkheadFull_isShedWith503AndRetryAfterAndChangesNothing() throws Exception {
        // Given: two holds stuck behind a row lock taken outside the service fill the bulkhead
        String location = Api.unique("WH");
        String sku = Api.unique("SHED");
        Api.location(location, 1);
        Api.stock(sku, location, 10);
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        try (Connection locker = DriverManager.getConnection(url, "postgres", "postgres")) {
            locker.setAutoCommit(false);
            try (Statement s = locker.createStatement()) {
                s.execute("SELECT 1 FROM stock_level WHERE sku = '" + sku + "' FOR UPDATE");
            }
            List<CompletableFuture<HttpResponse<String>>> stuck = List.of(
                    CompletableFuture.supplyAsync(() -> STOREFRONT.post(reservations, hold(sku, "stuck-1"), null)),
                    CompletableFuture.supplyAsync(() -> STOREFRONT.post(reservations, hold(sku, "stuck-2"), null)));
            await().atMost(Duration.ofSeconds(20)).until(() -> bulkhead.inUse() == 2
                    && db.scalar("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") >= 2);

            // When: a third hold arrives
            HttpResponse<String> shed = STOREFRONT.post(reservations, hold(sku, "shed-3"), null);

            // Then: 503 problem with Retry-After, and the stuck ones are unaffected
            assertThat(shed.statusCode()).isEqualTo(503);
            assertThat(shed.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(shed.headers().firstValue("Retry-After")).hasValue("1");
            assertThat(shed.body()).contains("https://stockroom.dev/problems/service-unavailable");
            locker.rollback();
            assertThat(stuck).allSatisfy(f -> assertThat(f.get().statusCode()).isEqualTo(201));
        }
        // nothing of the shed hold was applied; the two others are there in full
        assertThat(db.scalar("SELECT count(*) FROM reservation WHERE order_ref = 'shed-3'")).isZero();
        assertThat(db.level(sku, location)).containsExactly(10, 2, 0, 0);
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ? AND kind = 'HOLD'", sku)).isEqualTo(2);
        assertThat(db.ledgerMismatches(sku)).isEmpty();
        assertThat(bulkhead.inUse()).isZero();
    }

    private static String hold(String sku, String orderRef) {
        return "{\"orderRef\":\"" + orderRef + "\",\"lines\":[{\"sku\":\"" + sku + "\",\"quantity\":1}]}";
    }
}
