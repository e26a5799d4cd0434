package dev.stockroom.history;

import dev.stockroom.platform.Sql;
import dev.stockroom.support.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Reports against a brute-force sum over the ledger: on a generated year of movements, with writers in flight
 * across the rollup's watermark, and with writers and the rollup running while reports are read.
 */
@QuarkusTest
class ReportAccuracyTest {

    private static final String PREFIX = Api.unique("ACC") + "-";
    private static SyntheticLedger ledger;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    HistoryService history;

    @Inject
    RollupJob rollup;

    private final LocalDate today = LocalDate.now(ZoneOffset.UTC);

    @BeforeEach
    void generateOnce() throws SQLException {
        if (ledger == null) {
            ledger = GeneratedLedgers.write(dataSource, GeneratedLedgers.shape(30_000, 12, 5, PREFIX));
        }
    }

    @Test
    void reports_onAGeneratedYear_equalTheSumOfTheLedger() throws SQLException {
        // Given: a year of movements, part rolled up, part not
        rollup.catchUp();
        addMovements(200, today.minusDays(200), today);

        // When / Then: every scope, granularity and range agrees with the brute-force sum
        String sku = ledger.sku(0);
        String location = ledger.locations().get(0);
        List<FlowScope> scopes = List.of(new FlowScope.Sku(sku), new FlowScope.SkuAtLocation(sku, location),
                new FlowScope.Location(location), new FlowScope.Sku(ledger.sku(11)));
        List<LocalDate[]> ranges = List.of(new LocalDate[]{today.minusDays(399), today.plusDays(1)},
                new LocalDate[]{today.minusDays(200), today.minusDays(110)},
                new LocalDate[]{today.minusDays(3), today.minusDays(2)});
        for (FlowScope scope : scopes) {
            for (LocalDate[] range : ranges) {
                for (Granularity g : Granularity.values()) {
                    StockFlowReport report = history.stockFlow(scope, range[0], range[1], g);
                    assertThat(report.periods()).as("%s %s..%s by %s", scope, range[0], range[1], g)
                            .isEqualTo(oracle(c -> LedgerOracle.stockFlow(c, scope, range[0], range[1], g)));
                }
            }
        }
        // Every SKU with a loss (500), and the five that lost most: the report ranks SKUs before it splits their
        // losses by kind, and the split must be of the SKUs ranked.
        for (String at : new String[]{null, location}) {
            for (int limit : new int[]{5, 500}) {
                assertThat(history.shrinkage(at, today.minusDays(399), today.plusDays(1), limit).items())
                        .isEqualTo(oracle(c -> LedgerOracle.shrinkage(c, at, today.minusDays(399), today.plusDays(1),
                                limit)))
                        .isNotEmpty();
            }
        }
        assertThat(history.stockFlow(new FlowScope.Sku(sku), today.minusDays(399), today.plusDays(1),
                Granularity.MONTH).periods().stream().mapToLong(FlowPeriod::movements).sum()).isPositive();
    }

    @Test
    void rollup_writerInFlightAcrossTheWatermark_isCountedOnceWhenItCommits() throws SQLException {
        // Given: a writer that took its transaction id first and is still open, and a later one that committed
        String sku = Api.unique(PREFIX + "INFLIGHT");
        LocalDate day = today.minusDays(30);
        FlowScope scope = new FlowScope.Sku(sku);
        try (Connection first = dataSource.getConnection(); Connection second = dataSource.getConnection()) {
            first.setAutoCommit(false);
            second.setAutoCommit(false);
            long firstId = insert(first, sku, "RECEIVED", 5, day);
            insert(second, sku, "RECEIVED", 7, day);
            second.commit();

            // When: the rollup runs as far as it can
            rollUpPast(0);

            // Then: it stopped below the open writer, so the later one waits too; the report still counts the 7
            assertThat(watermark()).isLessThanOrEqualTo(firstId);
            assertThat(rolledUp(sku)).isZero();
            assertThat(received(scope, day)).isEqualTo(7).isEqualTo(oracleReceived(scope, day));

            // When: the first writer commits
            first.commit();

            // Then: the report has both at once, and after the rollup took them, still exactly once each
            assertThat(received(scope, day)).isEqualTo(12).isEqualTo(oracleReceived(scope, day));
            rollUpPast(firstId);
            assertThat(rolledUp(sku)).isEqualTo(12);
            assertThat(received(scope, day)).isEqualTo(12).isEqualTo(oracleReceived(scope, day));
        }
    }

    @Test
    void reports_whileWritersAndTheRollupRun_equalTheSumOfTheLedgerInTheSameSnapshot() throws Exception {
        // Given: writers that keep some transactions open across rollup steps, and the rollup running
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong steps = new AtomicLong();
        AtomicLong written = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        workers.add(pool.submit(() -> {
            while (running.get()) {
                rollup.catchUp();
                steps.incrementAndGet();
            }
            return null;
        }));
        for (int w = 0; w < 3; w++) {
            int seed = w;
            workers.add(pool.submit(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                while (running.get()) {
                    try (Connection c = dataSource.getConnection()) {
                        c.setAutoCommit(false);
                        for (int i = 0; i < 1 + random.nextInt(5); i++) {
                            insert(c, ledger.sku(random.nextInt(12)), random.nextBoolean() ? "ADJUSTED" : "RECEIVED",
                                    random.nextInt(-5, 20), today.minusDays(random.nextInt(399)),
                                    ledger.locations().get(random.nextInt(5)));
                        }
                        if (random.nextInt(3) == 0) {
                            // Stay open across at least one rollup step before committing.
                            long seen = steps.get();
                            await().atMost(Duration.ofSeconds(30)).until(() -> steps.get() > seen + 1 || !running
                                    .get());
                        }
                        c.commit();
                        written.incrementAndGet();
                    }
                }
                return null;
            }));
        }

        // When: reports are read over and over, each beside a brute-force sum in the same snapshot
        int compared = 0;
        int withTail = 0;
        List<String> hints = new ArrayList<>(List.of("0"));
        SplittableRandom random = new SplittableRandom(7);
        try {
            while (compared < 40 || steps.get() < 5) {
                String sku = ledger.sku(random.nextInt(12));
                String location = ledger.locations().get(random.nextInt(5));
                FlowScope scope = switch (random.nextInt(3)) {
                    case 0 -> new FlowScope.Sku(sku);
                    case 1 -> new FlowScope.SkuAtLocation(sku, location);
                    default -> new FlowScope.Location(location);
                };
                Granularity g = Granularity.values()[random.nextInt(3)];
                LocalDate from = today.minusDays(399 - random.nextInt(100));
                LocalDate to = today.minusDays(random.nextInt(100));
                try (Connection c = dataSource.getConnection()) {
                    c.setAutoCommit(false);
                    c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                    // The statement's own snapshot decides; the hint it is given may be behind, as a cached one is.
                    String watermark = Watermark.read(c);
                    String hint = random.nextBoolean() ? watermark : hints.get(random.nextInt(hints.size()));
                    hints.add(watermark);
                    ReportQueries.Query q = ReportQueries.stockFlow(scope, from, to, hint);
                    List<ReportQueries.DayKind> days = Sql.query(c, q.sql(), rs -> new ReportQueries.DayKind(
                            rs.getObject("day", LocalDate.class), Flow.kind(rs.getString("kind")), Measures.read(rs)),
                            q.params().toArray());

                    // Then
                    assertThat(Flow.periods(days, from, to, g)).as("%s %s..%s by %s", scope, from, to, g)
                            .isEqualTo(LedgerOracle.stockFlow(c, scope, from, to, g));
                    String at = random.nextBoolean() ? null : location;
                    // Few SKUs asked first (by their total losses) make the report settle early, ask more, or
                    // rank every SKU in the end; each way must give the oracle's answer.
                    int limit = random.nextBoolean() ? 3 : 500;
                    int candidates = new int[]{1, 2, 5, ShrinkageQueries.FIRST_CANDIDATES}[random.nextInt(4)];
                    assertThat(ShrinkageQueries.shrinkage(c, at, from, to, limit, hint, candidates))
                            .as("shrinkage at %s %s..%s, top %d, %d candidates first", at, from, to, limit,
                                    candidates)
                            .isEqualTo(LedgerOracle.shrinkage(c, at, from, to, limit));
                    if (Sql.query(c, "SELECT 1 FROM stock_movement WHERE xact_id >= ?::xid8 AND sku LIKE ? LIMIT 1",
                            rs -> 1, watermark, PREFIX + "%").size() == 1) {
                        withTail++;
                    }
                    c.commit();
                    c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
                    c.setAutoCommit(true);
                }
                compared++;
            }
        } finally {
            running.set(false);
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        // Both halves of the report were exercised: rows not yet rolled up, and a rollup that kept moving.
        assertThat(withTail).isPositive();
        assertThat(steps.get()).isGreaterThanOrEqualTo(5);
        assertThat(written.get()).isPositive();
    }

    private void addMovements(int count, LocalDate from, LocalDate to) throws SQLException {
        SplittableRandom random = new SplittableRandom(3);
        try (Connection c = dataSource.getConnection()) {
            for (int i = 0; i < count; i++) {
                insert(c, ledger.sku(random.nextInt(12)), i % 2 == 0 ? "ADJUSTED" : "COUNTED", random.nextInt(-6, 4),
                        from.plusDays(random.nextInt((int) (to.toEpochDay() - from.toEpochDay()))),
                        ledger.locations().get(random.nextInt(5)));
            }
        }
    }

    private static long insert(Connection c, String sku, String kind, int onHand, LocalDate day) throws SQLException {
        return insert(c, sku, kind, onHand, day, PREFIX + "WH-00");
    }

    /** A ledger row written as any writer would; returns the writing transaction's id. */
    private static long insert(Connection c, String sku, String kind, int onHand, LocalDate day, String location)
            throws SQLException {
        return Long.parseLong(Sql.query(c, "INSERT INTO stock_movement (sku, location, kind, on_hand_delta,"
                + " occurred_at) VALUES (?, ?, ?, ?, ?) RETURNING xact_id::text", rs -> rs.getString(1),
                sku, location, kind, onHand, day.atTime(12, 0).atOffset(ZoneOffset.UTC)).get(0));
    }

    private void rollUpPast(long xact) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            rollup.catchUp();
            return xact == 0 || watermark() > xact;
        });
    }

    private long watermark() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Long.parseLong(Watermark.read(c));
        }
    }

    private long rolledUp(String sku) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Sql.query(c, "SELECT coalesce(sum(on_hand_up), 0) FROM stock_movement_daily_sku WHERE sku = ?",
                    rs -> rs.getLong(1), sku).get(0);
        }
    }

    private long received(FlowScope scope, LocalDate day) {
        return history.stockFlow(scope, day, day.plusDays(1), Granularity.DAY).periods().get(0).received();
    }

    private long oracleReceived(FlowScope scope, LocalDate day) throws SQLException {
        return oracle(c -> LedgerOracle.stockFlow(c, scope, day, day.plusDays(1), Granularity.DAY)).get(0).received();
    }

    @FunctionalInterface
    private interface OnConnection<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T oracle(OnConnection<T> query) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return query.run(c);
        }
    }
}
