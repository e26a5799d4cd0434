package dev.stockroom.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockroom.platform.Sql;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The move of a production-sized unpartitioned ledger (1M rows) into the partitioned one while holds run, then the
 * plans of every report on the result. The second test reads the ledger the first one moved.
 */
@QuarkusTest
@TestProfile(LedgerMoveTest.OnLegacyLedger.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LedgerMoveTest {

    /** The service on a database that still has the unpartitioned ledger. */
    public static class OnLegacyLedger implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(LegacyLedger.class));
        }
    }

    private static final int BUYERS = 6;

    @Inject
    Flyway flyway;

    @Inject
    LedgerMove move;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Db db;

    @Inject
    HistoryConfig config;

    @Test
    @Order(1)
    void move_whileHoldsRun_copiesEveryRowOnceInBatchesAndSwitchesOverWithoutBlockingHolds() throws Exception {
        // Given: the old ledger, and buyers holding stock without pause
        String location = Api.unique("MOVE");
        Api.location(location, 1);
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            skus.add(Api.unique("MOVE"));
            Api.stock(skus.get(i), location, 1_000_000);
        }
        long oldRows = db.scalar("SELECT count(*) FROM stock_movement");
        AtomicReference<String> phase = new AtomicReference<>("BEFORE");
        AtomicBoolean buying = new AtomicBoolean(true);
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> held = new ConcurrentLinkedQueue<>();
        AtomicInteger heldAfterSwitch = new AtomicInteger();
        Map<String, AtomicInteger> holdsWaitingOnTables = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(BUYERS + 1);
        List<Future<?>> running = new ArrayList<>();
        for (int b = 0; b < BUYERS; b++) {
            int seed = b;
            running.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (buying.get()) {
                    Response r = Api.reserve(Api.hold("o-move", List.of(Api.line(skus.get(random.nextInt(20)), 1,
                            location)))).extract().response();
                    answers.computeIfAbsent(String.valueOf(r.statusCode()), s -> new AtomicInteger()).incrementAndGet();
                    if (r.statusCode() == 201) {
                        held.add(r.jsonPath().getString("id"));
                        if ("AFTER".equals(phase.get())) {
                            heldAfterSwitch.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        running.add(pool.submit(() -> {
            // Samples holds waiting for a table lock (not for a row lock, which buyers of one SKU take in turns).
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                while (buying.get()) {
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a"
                            + " ON a.pid = l.pid WHERE NOT l.granted AND l.locktype = 'relation'"
                            + " AND a.query LIKE 'WITH held AS%'")) {
                        rs.next();
                        holdsWaitingOnTables.computeIfAbsent(phase.get(), p -> new AtomicInteger())
                                .addAndGet(rs.getInt(1));
                    }
                }
            }
            return null;
        }));
        await().atMost(Duration.ofSeconds(60)).until(() -> held.size() >= 50);

        // When: the new version's migration runs
        phase.set("MIGRATING");
        assertThat(flyway.migrate().migrationsExecuted).isPositive();
        // ... history waits for the move
        Response early = given().queryParam("sku", skus.get(0)).queryParam("from", "2026-01-01")
                .queryParam("to", "2026-02-01").get("/v1/reports/stock-flow");
        assertThat(early.statusCode()).isEqualTo(503);
        assertThat(early.header("Retry-After")).isNotNull();
        // ... the job copies the old rows, one batch per transaction
        phase.set("COPYING");
        int batches = 0;
        LedgerMove.Phase now;
        do {
            now = move.copyBatch();
            batches++;
        } while (now == LedgerMove.Phase.COPYING);
        // ... and switches over
        phase.set("SWITCHING");
        await().atMost(Duration.ofSeconds(60)).until(move::switchOver);
        phase.set("AFTER");
        await().atMost(Duration.ofSeconds(60)).until(() -> heldAfterSwitch.get() >= 100);
        buying.set(false);
        pool.shutdown();
        assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        for (Future<?> f : running) {
            f.get();
        }

        // Then: every hold was placed, none ever waited for a table lock while the history was copied
        assertThat(answers).containsOnlyKeys("201");
        assertThat(holdsWaitingOnTables.getOrDefault("COPYING", new AtomicInteger())).hasValue(0);
        assertThat(batches).isGreaterThanOrEqualTo((int) (oldRows / config.move().batchSize()));
        // ... the partitioned table is the ledger now, and the old one is kept aside
        assertThat(db.scalar("SELECT count(*) FROM pg_class WHERE relname = 'stock_movement' AND relkind = 'p'"))
                .isEqualTo(1);
        long keptAside = db.scalar("SELECT count(*) FROM stock_movement_unpartitioned");
        assertThat(keptAside).isGreaterThan(oldRows);
        // ... holding every old row once, plus those written after the switch-over, each once
        assertThat(db.scalar("SELECT count(*) FROM stock_movement_unpartitioned o WHERE NOT EXISTS (SELECT 1 FROM"
                + " stock_movement n WHERE n.sku = o.sku AND n.occurred_at = o.occurred_at AND n.id = o.id)")).isZero();
        assertThat(db.scalar("SELECT count(*) - count(DISTINCT id) FROM stock_movement")).isZero();
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE id > (SELECT max(id) FROM"
                + " stock_movement_unpartitioned)")).isEqualTo(db.scalar("SELECT count(*) FROM stock_movement")
                        - keptAside)
                .isPositive();
        Set<String> holds = new TreeSet<>(held);
        assertThat(holds).hasSameSizeAs(held);
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE kind = 'HOLD' AND reservation_id::text"
                + " = ANY(?)", (Object) holds.toArray(String[]::new))).isEqualTo(holds.size());
        // ... and the ledger still replays to every stock level
        assertThat(db.ledgerMismatches("")).isEmpty();
        // ... and history is served again
        given().queryParam("sku", skus.get(0)).queryParam("from", LocalDate.now(ZoneOffset.UTC).toString())
                .queryParam("to", LocalDate.now(ZoneOffset.UTC).plusDays(1).toString())
                .get("/v1/reports/stock-flow").then().statusCode(200);
        System.out.printf("ledger move: %,d old rows in %d batches; holds waiting for a table lock, sampled by phase:"
                + " %s; holds placed %d%n", oldRows, batches, holdsWaitingOnTables, holds.size());
    }

    @Test
    @Order(2)
    void reportPlans_atOneMillionRows_readTheRollupAndPrunedPartitionsOnly() throws Exception {
        // Given: the moved ledger, rolled up and analyzed; its busiest SKU and location
        String sku;
        String location;
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            Rollup.Step step;
            do {
                step = Rollup.step(c, 500_000, Duration.ofMinutes(10));
            } while (step.outcome() != Rollup.Outcome.CAUGHT_UP);
            s.execute("SET statement_timeout = 0");
            s.execute("ANALYZE stock_movement, stock_movement_daily, stock_movement_daily_sku,"
                    + " stock_movement_daily_location, stock_movement_monthly_loss, stock_movement_loss_total");
            sku = Sql.query(c, "SELECT sku FROM stock_movement_daily_sku GROUP BY sku ORDER BY sum(movements) DESC"
                    + " LIMIT 1", rs -> rs.getString(1)).get(0);
            location = Sql.query(c, "SELECT location FROM stock_movement_daily_location GROUP BY location"
                    + " ORDER BY sum(movements) DESC LIMIT 1", rs -> rs.getString(1)).get(0);
            s.execute("RESET statement_timeout");
        }
        LocalDate to = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        LocalDate from = to.minusDays(365);
        String watermark;
        try (Connection c = dataSource.getConnection()) {
            watermark = Watermark.read(c);
        }
        Map<String, ReportQueries.Query> reports = Map.of(
                "stock flow of the busiest SKU", ReportQueries.stockFlow(new FlowScope.Sku(sku), from, to, watermark),
                "stock flow of the SKU at a location",
                ReportQueries.stockFlow(new FlowScope.SkuAtLocation(sku, location), from, to, watermark),
                "stock flow of the busiest location",
                ReportQueries.stockFlow(new FlowScope.Location(location), from, to, watermark),
                "shrinkage everywhere", ShrinkageQueries.shrinkage(null, from, to, 20, watermark),
                "shrinkage everywhere, largest total losses first",
                ShrinkageQueries.shrinkage(null, from, to, 20, watermark, ShrinkageQueries.FIRST_CANDIDATES),
                "shrinkage at a location", ShrinkageQueries.shrinkage(location, from, to, 20, watermark));
        Instant now = Instant.now();
        Instant middle = now.minus(Duration.ofDays(100));
        Map<String, ReportQueries.Query> pages = Map.of(
                "first history page", MovementQueries.query(new MovementQueries.Page(sku, null, null,
                        now.minus(Duration.ofDays(400)), null, 50, null)),
                "a history page deep in the year", MovementQueries.query(new MovementQueries.Page(sku, location, null,
                        now.minus(Duration.ofDays(400)), null, 50, new Cursor(middle, Long.MAX_VALUE))));

        // When / Then
        for (Map.Entry<String, ReportQueries.Query> report : reports.entrySet()) {
            Plan plan = explain(report.getValue());
            assertThat(plan.sequentialLedgerScans()).as("%s:%n%s", report.getKey(), plan.text()).isEmpty();
            assertThat(plan.ledgerPartitions()).as("%s:%n%s", report.getKey(), plan.text())
                    .allSatisfy(p -> assertThat(overlaps(p, from.atStartOfDay(ZoneOffset.UTC).toInstant(),
                            to.atStartOfDay(ZoneOffset.UTC).toInstant())).as(p).isTrue())
                    .hasSizeLessThanOrEqualTo(14);
            assertThat(plan.relations()).as("%s:%n%s", report.getKey(), plan.text())
                    .anyMatch(r -> r.startsWith("stock_movement_daily") || r.equals("stock_movement_monthly_loss"));
        }
        assertThat(explain(reports.get("shrinkage everywhere, largest total losses first")).relations())
                .contains("stock_movement_loss_total", "stock_movement_monthly_loss");
        for (Map.Entry<String, ReportQueries.Query> page : pages.entrySet()) {
            Plan plan = explain(page.getValue());
            assertThat(plan.sequentialLedgerScans()).as("%s:%n%s", page.getKey(), plan.text()).isEmpty();
            assertThat(plan.nodeTypes()).as("%s:%n%s", page.getKey(), plan.text()).doesNotContain("Sort");
        }
        assertThat(explain(pages.get("a history page deep in the year")).ledgerPartitions())
                .allSatisfy(p -> assertThat(partitionStart(p)).isBefore(middle));
    }

    /** A plan, as EXPLAIN (FORMAT JSON) gave it. */
    record Plan(JsonNode root, String text) {
        List<String> relations() {
            List<String> names = new ArrayList<>();
            root.findValues("Relation Name").forEach(n -> names.add(n.asText()));
            return names;
        }

        List<String> ledgerPartitions() {
            return relations().stream().filter(r -> r.matches("stock_movement_p\\d{4}_\\d{2}")).toList();
        }

        List<String> nodeTypes() {
            List<String> types = new ArrayList<>();
            root.findValues("Node Type").forEach(n -> types.add(n.asText()));
            return types;
        }

        List<String> sequentialLedgerScans() {
            List<String> scans = new ArrayList<>();
            collect(root, scans);
            return scans;
        }

        private static void collect(JsonNode node, List<String> scans) {
            if (node.isObject() && "Seq Scan".equals(node.path("Node Type").asText())
                    && node.path("Relation Name").asText().startsWith("stock_movement_p")) {
                scans.add(node.path("Relation Name").asText());
            }
            node.elements().forEachRemaining(child -> collect(child, scans));
        }
    }

    private Plan explain(ReportQueries.Query query) throws SQLException, java.io.IOException {
        try (Connection c = dataSource.getConnection()) {
            String json = Sql.query(c, "EXPLAIN (FORMAT JSON) " + query.sql(), rs -> rs.getString(1),
                    query.params().toArray()).get(0);
            JsonNode root = new ObjectMapper().readTree(json);
            return new Plan(root, root.toPrettyString());
        }
    }

    private static Instant partitionStart(String partition) {
        return LocalDate.of(Integer.parseInt(partition.substring(16, 20)), Integer.parseInt(partition.substring(21)), 1)
                .atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    private static boolean overlaps(String partition, Instant from, Instant to) {
        Instant start = partitionStart(partition);
        Instant end = start.atZone(ZoneOffset.UTC).plusMonths(1).toInstant();
        return start.isBefore(to) && end.isAfter(from);
    }
}
