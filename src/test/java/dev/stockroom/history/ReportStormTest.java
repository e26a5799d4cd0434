package dev.stockroom.history;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Tokens;
import dev.stockroom.support.WideShedding;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** A storm of reports cannot take what holds need: the reports have their own pool and bulkhead. */
@QuarkusTest
// Judged on what holds were refused for: a report storm on two cores can keep a hold writer off the CPU past
// production's one-second deadline for entering a batch (a 503 in CI), which is shedding, not a pool failing.
@TestProfile(WideShedding.class)
class ReportStormTest {

    private static final int UNITS = 100;
    private static final int HOLDS = 200;
    private static final int REPORTERS = 16;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    @Inject
    Db db;

    @Test
    void reportStorm_whileHoldsRace_holdsAreDecidedOnStockAloneAndReportsAreShedAtOnce() throws Exception {
        // Given: a year of movements to report on, and a SKU with 100 units that 200 one-unit holds will race for
        String prefix = Api.unique("STORM") + "-";
        SyntheticLedger ledger = GeneratedLedgers.write(dataSource, GeneratedLedgers.shape(10_000, 10, 4, prefix));
        String location = Api.unique("WH");
        String sku = Api.unique("SCARCE");
        Api.location(location, 1);
        Api.stock(sku, location, UNITS);
        double rejectedBefore = registry.get("stockroom.history.reports.rejected").counter().count();
        String reporting = Tokens.withRoles("reporting");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        // When: 16 callers ask for 400-day reports as fast as they can while 8 threads place the holds
        AtomicBoolean storming = new AtomicBoolean(true);
        Map<Integer, AtomicInteger> reports = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> holds = new ConcurrentHashMap<>();
        List<String> badReports = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<String, AtomicInteger> reportsByPool = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(REPORTERS + 9);
        List<Future<?>> storm = new ArrayList<>();
        for (int t = 0; t < REPORTERS; t++) {
            int seed = t;
            storm.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (storming.get()) {
                    Response r = report(reporting, random, ledger, today);
                    reports.computeIfAbsent(r.statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    if (r.statusCode() == 503 && (r.header("Retry-After") == null
                            || !r.contentType().startsWith("application/problem+json"))
                            || r.statusCode() != 200 && r.statusCode() != 503) {
                        badReports.add(r.statusCode() + " " + r.asString());
                    }
                }
                return null;
            }));
        }
        storm.add(pool.submit(() -> {
            // Watches which pool's sessions run the report and history statements.
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                while (storming.get()) {
                    try (ResultSet rs = s.executeQuery("SELECT application_name, count(*) FROM pg_stat_activity"
                            + " WHERE state = 'active' AND pid <> pg_backend_pid() AND (query LIKE 'SELECT day, kind,%'"
                            + " OR query LIKE 'SELECT sku, sum(lost)%' OR query LIKE 'SELECT id, location, kind,%')"
                            + " GROUP BY 1")) {
                        while (rs.next()) {
                            reportsByPool.computeIfAbsent(rs.getString(1), p -> new AtomicInteger())
                                    .addAndGet(rs.getInt(2));
                        }
                    }
                }
            }
            return null;
        }));
        List<Future<?>> buyers = new ArrayList<>();
        AtomicInteger placed = new AtomicInteger();
        for (int t = 0; t < 8; t++) {
            buyers.add(pool.submit(() -> {
                while (placed.incrementAndGet() <= HOLDS) {
                    Response r = given().contentType("application/json")
                            .body(Api.hold("o-storm", List.of(Api.line(sku, 1, location)))).post("/v1/reservations");
                    String outcome = r.statusCode() == 409 ? "409 " + r.jsonPath().getString("type") : "" + r
                            .statusCode();
                    holds.computeIfAbsent(outcome, o -> new AtomicInteger()).incrementAndGet();
                }
                return null;
            }));
        }
        try {
            for (Future<?> buyer : buyers) {
                buyer.get(10, TimeUnit.MINUTES);
            }
        } finally {
            storming.set(false);
            placed.set(HOLDS);
            pool.shutdown();
        }
        for (Future<?> f : storm) {
            f.get(1, TimeUnit.MINUTES);
        }

        // Then: every hold was decided on stock alone
        assertThat(holds).containsOnlyKeys("201", "409 https://stockroom.dev/problems/insufficient-stock");
        assertThat(holds.get("201")).hasValue(UNITS);
        assertThat(holds.get("409 https://stockroom.dev/problems/insufficient-stock")).hasValue(HOLDS - UNITS);
        assertThat(db.level(sku, location)[1]).isEqualTo(UNITS);
        // ... while reports were answered or refused at once with Retry-After, and never ran on the write pool
        assertThat(badReports).isEmpty();
        assertThat(reports).containsOnlyKeys(200, 503);
        assertThat(registry.get("stockroom.history.reports.rejected").counter().count() - rejectedBefore)
                .isEqualTo(reports.get(503).get());
        assertThat(reportsByPool).containsOnlyKeys("stockroom-reports");
    }

    private static Response report(String token, SplittableRandom random, SyntheticLedger ledger, LocalDate today) {
        var request = given().header("Authorization", "Bearer " + token)
                .queryParam("from", today.minusDays(399).toString()).queryParam("to", today.plusDays(1).toString());
        return switch (random.nextInt(4)) {
            case 0 -> request.queryParam("location", ledger.locations().get(random.nextInt(4)))
                    .queryParam("granularity", "week").get("/v1/reports/stock-flow");
            case 1 -> request.queryParam("sku", ledger.sku(random.nextInt(10))).get("/v1/reports/stock-flow");
            case 2 -> request.get("/v1/reports/shrinkage");
            default -> given().header("Authorization", "Bearer " + token)
                    .queryParam("limit", 200).get("/v1/stock/{sku}/movements", ledger.sku(0));
        };
    }
}
