package dev.stockroom.reservation;

import dev.stockroom.support.PackagedService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances of the packaged service on one database combine holds for the same hot SKU at the same time; the
 * database's row lock arbitrates between their batches, and not one unit is sold twice.
 */
class TwoInstancesIT {

    private static final int UNITS = 300;
    private static final int HOLDS_PER_INSTANCE = 600;

    @TempDir
    Path dir;

    @Test
    void reserve_twoInstancesOneHotSku_grantExactlyTheStock() throws Exception {
        try (PackagedService environment = PackagedService.environment(dir)) {
            // Given: two instances, and 300 units of one SKU
            // The test is about the row lock arbitrating between instances, not shedding: a cold instance's first
            // batches on a busy machine may take longer than production's one-second deadline for entering one.
            Map<String, String> patient = Map.of("STOCKROOM_HOLDS_ENTER_DEADLINE", "30s");
            PackagedService.Instance one = environment.start(patient, dir.resolve("one.log"));
            PackagedService.Instance two = environment.start(patient, dir.resolve("two.log"));
            await().atMost(Duration.ofMinutes(3)).until(() -> one.ready() && two.ready());
            assertThat(environment.send(one.api().resolve("/v1/locations/WH-1"), "PUT",
                    "{\"name\":\"One\",\"kind\":\"WAREHOUSE\",\"priority\":1,\"active\":true}", "admin").statusCode())
                    .isEqualTo(201);
            assertThat(environment.send(two.api().resolve("/v1/stock/HOT-1/locations/WH-1"), "PUT",
                    "{\"onHand\":" + UNITS + "}", "admin").statusCode()).isEqualTo(201);

            // When: 600 one-unit holds race on each instance
            ExecutorService buyers = Executors.newFixedThreadPool(64);
            List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < HOLDS_PER_INSTANCE; i++) {
                for (PackagedService.Instance instance : List.of(one, two)) {
                    answers.add(CompletableFuture.supplyAsync(() -> environment.send(
                            instance.api().resolve("/v1/reservations"), "POST",
                            "{\"orderRef\":\"o\",\"lines\":[{\"sku\":\"HOT-1\",\"quantity\":1}]}", "storefront"),
                            buyers));
                }
            }
            List<HttpResponse<String>> responses = answers.stream().map(CompletableFuture::join).toList();
            List<Integer> statuses = responses.stream().map(HttpResponse::statusCode).toList();
            buyers.shutdown();

            // Then: exactly the stock was granted, by both instances, and the database agrees
            assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).as(r.body()).isIn(201, 409));
            assertThat(statuses.stream().filter(s -> s == 201)).hasSize(UNITS);
            try (Connection c = environment.postgres().getPostgresDatabase().getConnection();
                 Statement s = c.createStatement()) {
                assertThat(scalar(s, "SELECT reserved FROM stock_level WHERE sku = 'HOT-1'")).isEqualTo(UNITS);
                assertThat(scalar(s, "SELECT count(*) FROM reservation WHERE order_ref = 'o'")).isEqualTo(UNITS);
                assertThat(scalar(s, "SELECT sum(reserved_delta) FROM stock_movement WHERE sku = 'HOT-1'"))
                        .isEqualTo(UNITS);
            }
            // answers alternate between the instances: both granted holds
            for (int instance = 0; instance < 2; instance++) {
                int parity = instance;
                assertThat(IntStream.range(0, statuses.size())
                        .filter(i -> i % 2 == parity && statuses.get(i) == 201).count())
                        .as("holds granted by instance %d", instance + 1).isPositive();
            }
        }
    }

    private static long scalar(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
