package dev.stockroom.history;

import dev.stockroom.bench.Wrk;
import dev.stockroom.support.BenchFigures;
import dev.stockroom.support.Db;
import dev.stockroom.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three history endpoints at production size (10M ledger rows over 400 days) against the same reports computed
 * straight from an unpartitioned ledger without rollups (the old table with its old indexes), in the same run.
 *
 * <p>{@code ./mvnw -Pbench test -Dtest=HistoryBenchmark [-Dbench.history.rows=10000000]
 * [-Dbench.history.requests=300] [-Dbench.history.seconds=10] [-Dbench.history.naive-requests=20]}. Latencies are of
 * one client asking one request after another, about 300 keys drawn with the ledger's own popularity, so busy SKUs
 * are asked about most: Stockroom over HTTP (the targets; {@code wrk} on one connection, in its own process as a
 * client is, cycling through the keys for the given seconds), Stockroom's service called in the JVM (the same path
 * without HTTP, JSON and the token, once per key), and the baseline over JDBC; the ratio compares the last two.
 * Targets: a 365-day report p95 under 50 ms, a history page p95 under 20 ms.
 */
@QuarkusTest
class HistoryBenchmark {

    private static final long ROWS = Long.getLong("bench.history.rows", 10_000_000);
    private static final int REQUESTS = Integer.getInteger("bench.history.requests", 300);
    private static final int NAIVE_REQUESTS = Integer.getInteger("bench.history.naive-requests", 20);
    /** How long wrk asks each endpoint over HTTP, after its warm-up. */
    private static final int SECONDS = Integer.getInteger("bench.history.seconds", 10);
    private static final double REPORT_TARGET_MS = 50;
    private static final double PAGE_TARGET_MS = 20;

    @TestHTTPResource("/")
    URL base;

    private final String token = Tokens.withRoles("reporting");

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Db db;

    @Inject
    HistoryService history;

    /** One endpoint's latencies over HTTP and in the service, and the baseline's for the same questions. */
    record Latencies(String name, Wrk.Latency http, double[] service, double[] naive) {
        double p(double[] sorted, double q) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }

    @Test
    void historyEndpoints_atTenMillionRows_againstTheUnpartitionedLedgerWithoutRollup() throws Exception {
        String load = Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
        SyntheticLedger.Shape shape = new SyntheticLedger.Shape(ROWS, (int) Math.max(20, Math.min(100_000, ROWS / 200)),
                40, 400, LocalDate.now(ZoneOffset.UTC), 1, "");
        SyntheticLedger ledger = new SyntheticLedger(shape);
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            new LedgerLoader(c, new PrintStream(System.out, true)).load(new SyntheticLedger(shape), shape.rows(),
                    ledger.locations(), new LedgerLoader.Options(true, true));
        }
        double loadSeconds = (System.nanoTime() - started) / 1e9;
        buildNaiveLedger();

        LocalDate to = LocalDate.now(ZoneOffset.UTC).plusDays(1);
        LocalDate from = to.minusDays(365);
        List<String> skus = askedSkus(REQUESTS);
        List<String> locations = ledger.locations();
        List<Latencies> results = new ArrayList<>();
        java.time.Instant since = java.time.Instant.now().minus(java.time.Duration.ofDays(400));
        results.add(measure("history page (50 newest movements of a SKU)", skus,
                sku -> "v1/stock/" + sku + "/movements?limit=50",
                sku -> history.movements(sku, null, null, since, null, 50, null),
                "SELECT id, location, kind, on_hand_delta, reserved_delta, committed_delta, safety_stock_delta,"
                        + " reservation_id, event_id, reason, occurred_at, recorded_at FROM stock_movement_naive"
                        + " WHERE sku = ? ORDER BY occurred_at DESC, id DESC LIMIT 51", sku -> new Object[]{sku}));
        results.add(measure("stock flow, one SKU, 365 days by week", skus,
                sku -> "v1/reports/stock-flow?granularity=week&from=" + from + "&to=" + to + "&sku=" + sku,
                sku -> history.stockFlow(new FlowScope.Sku(sku), from, to, Granularity.WEEK),
                naiveFlow("sku = ?"), sku -> new Object[]{utc(from), utc(to), sku}));
        results.add(measure("stock flow, one location, 365 days by week", cycle(locations, REQUESTS),
                loc -> "v1/reports/stock-flow?granularity=week&from=" + from + "&to=" + to + "&location=" + loc,
                loc -> history.stockFlow(new FlowScope.Location(loc), from, to, Granularity.WEEK),
                naiveFlow("location = ?"), loc -> new Object[]{utc(from), utc(to), loc}));
        results.add(measure("shrinkage, every location, 365 days, top 20", cycle(List.of("all"), REQUESTS),
                any -> "v1/reports/shrinkage?from=" + from + "&to=" + to,
                any -> history.shrinkage(null, from, to, 20),
                "SELECT sku, sum(-on_hand_delta) AS lost FROM stock_movement_naive WHERE kind IN ('ADJUSTED',"
                        + " 'COUNTED', 'CORRECTION') AND on_hand_delta < 0 AND occurred_at >= ? AND occurred_at < ?"
                        + " GROUP BY sku ORDER BY lost DESC, sku LIMIT 20", any -> new Object[]{utc(from), utc(to)}));
        String loadAfter = Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();

        List<String> rows = new ArrayList<>();
        for (Latencies l : results) {
            Wrk.Latency s = l.http();
            double[] v = l.service();
            double[] n = l.naive();
            boolean page = l.name().startsWith("history page");
            double target = page ? PAGE_TARGET_MS : REPORT_TARGET_MS;
            System.out.printf(Locale.ROOT, "=== %s: over HTTP p50 %.1f ms, p95 %.1f ms, p99 %.1f ms (target p95 < %.0f"
                    + " ms: %s); in the service p50 %.1f, p95 %.1f, p99 %.1f ms; unpartitioned ledger without"
                    + " rollup p50 %.1f, p95 %.1f, p99 %.1f ms; p95 service / baseline %.4f%n", l.name(),
                    s.p50(), s.p95(), s.p99(), target, s.p95() < target ? "met" : "missed",
                    l.p(v, .5), l.p(v, .95), l.p(v, .99), l.p(n, .5), l.p(n, .95), l.p(n, .99),
                    l.p(v, .95) / l.p(n, .95));
            BenchFigures.figure("history", l.name() + ", p95 over HTTP (target < " + (int) target + " ms)",
                    s.p95(), "ms", "the same from the unpartitioned ledger without rollup (JDBC), p95", l.p(n,
                            .95));
            BenchFigures.figure("history", l.name() + ", p95 in the service (no HTTP)", l.p(v, .95), "ms",
                    "the same from the unpartitioned ledger without rollup (JDBC), p95", l.p(n, .95));
            BenchFigures.fact("history " + l.name(), String.format(Locale.ROOT, "over HTTP p50 %.1f / p95 %.1f / p99"
                    + " %.1f ms over %d requests, in the service p50 %.1f / p95 %.1f / p99 %.1f ms over %d;"
                    + " unpartitioned without rollup p50 %.1f / p95 %.1f / p99 %.1f ms over %d", s.p50(),
                    s.p95(), s.p99(), s.requests(), l.p(v, .5), l.p(v, .95), l.p(v, .99), v.length, l.p(n, .5),
                    l.p(n, .95), l.p(n, .99), n.length));
            // The chart's labels and the summary's table read this file by commas: the name keeps none.
            rows.add(String.format(Locale.ROOT, "\"%s\",%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f",
                    l.name().replace(",", ";"),
                    s.p50(), s.p95(), s.p99(), l.p(n, .5), l.p(n, .95), l.p(n, .99), l.p(v, .5),
                    l.p(v, .95), l.p(v, .99)));
        }
        BenchFigures.series("history.csv", "endpoint,http_p50,http_p95,http_p99,naive_p50,naive_p95,naive_p99,"
                + "service_p50,service_p95,service_p99", rows);
        BenchFigures.fact("history ledger", String.format(Locale.ROOT, "%,d rows over 400 days (%,d SKUs, Zipf; 40"
                + " locations), %d monthly partitions, rollup rows %,d (by SKU and location), %,d (by SKU),"
                + " %,d (by location); written and rolled up in %.0f s", ROWS, shape.skus(),
                db.scalar("SELECT count(*) FROM stock_movement_partitions()"),
                db.scalar("SELECT count(*) FROM stock_movement_daily"), db.scalar(
                        "SELECT count(*) FROM stock_movement_daily_sku"),
                db.scalar("SELECT count(*) FROM stock_movement_daily_location"), loadSeconds));
        BenchFigures.fact("history load average", "before the measurements " + load + "; after " + loadAfter);
        recordFacts();
        assertThat(results).allSatisfy(l -> assertThat(l.http().requests()).isPositive());
    }

    /** The conditions the figures were measured under, for the summary. */
    private void recordFacts() {
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        BenchFigures.database(db, "settings");
        BenchFigures.fact("pools", "write pool " + config.getValue("quarkus.datasource.jdbc.max-size", String.class)
                + ", read pool " + config.getValue("stockroom.availability.read-pool.size", String.class)
                + ", report pool " + config.getValue("stockroom.history.pool.size", String.class)
                + ", shedding permits " + config.getValue("stockroom.shedding.permits", String.class)
                + " waiting at most " + config.getValue("stockroom.shedding.max-wait", String.class));
    }

    /** The ledger as it was before partitions: one table, its old primary key and (sku, occurred_at) index. */
    private void buildNaiveLedger() throws Exception {
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = 0");
            s.execute("DROP TABLE IF EXISTS stock_movement_naive");
            s.execute("CREATE TABLE stock_movement_naive AS SELECT sku, id, location, kind, on_hand_delta,"
                    + " reserved_delta, committed_delta, safety_stock_delta, reservation_id, event_id, reason,"
                    + " occurred_at, recorded_at FROM stock_movement ORDER BY id");
            s.execute("ALTER TABLE stock_movement_naive ADD PRIMARY KEY (sku, id)");
            s.execute("CREATE INDEX stock_movement_naive_history ON stock_movement_naive (sku, occurred_at)");
            s.execute("VACUUM ANALYZE stock_movement_naive");
            s.execute("RESET statement_timeout");
        }
        System.out.printf("unpartitioned baseline ledger built in %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    private Latencies measure(String name, List<String> keys, Function<String, String> path,
                              Function<String, Object> service, String naiveSql,
                              Function<String, Object[]> naiveParams) throws Exception {
        Wrk.Latency http = Wrk.sequential(URI.create(base.toString()), keys.stream().map(k -> "/" + path.apply(k))
                .toList(), token, SECONDS);
        for (int i = 0; i < Math.min(50, keys.size()); i++) {
            service.apply(keys.get(i));
        }
        double[] inService = new double[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            long t = System.nanoTime();
            service.apply(keys.get(i));
            inService[i] = (System.nanoTime() - t) / 1e6;
        }
        double[] naive = new double[Math.min(NAIVE_REQUESTS, keys.size())];
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = 0");
            try (PreparedStatement q = c.prepareStatement(naiveSql)) {
                for (int i = 0; i < naive.length; i++) {
                    Object[] params = naiveParams.apply(keys.get(i));
                    for (int p = 0; p < params.length; p++) {
                        q.setObject(p + 1, params[p]);
                    }
                    long t = System.nanoTime();
                    try (ResultSet rs = q.executeQuery()) {
                        while (rs.next()) {
                            rs.getObject(1);
                        }
                    }
                    naive[i] = (System.nanoTime() - t) / 1e6;
                }
            }
            s.execute("RESET statement_timeout");
        }
        Arrays.sort(inService);
        Arrays.sort(naive);
        return new Latencies(name, http, inService, naive);
    }

    /** The old way: every ledger row of the range, grouped by week and kind. */
    private static String naiveFlow(String scope) {
        return "SELECT date_trunc('week', occurred_at AT TIME ZONE 'UTC') AS week, kind, count(*),"
                + " sum(greatest(on_hand_delta, 0)), sum(greatest(-on_hand_delta, 0)), sum(greatest(reserved_delta, 0)),"
                + " sum(greatest(-reserved_delta, 0)), sum(greatest(committed_delta, 0)),"
                + " sum(greatest(-committed_delta, 0)) FROM stock_movement_naive"
                + " WHERE occurred_at >= ? AND occurred_at < ? AND " + scope + " GROUP BY 1, 2";
    }

    /** SKUs drawn with the ledger's own popularity: a SKU with twice the movements is asked about twice as often. */
    private List<String> askedSkus(int count) {
        List<String> skus = new ArrayList<>();
        List<Double> cumulative = new ArrayList<>();
        double total = 0;
        for (var row : db.rows("SELECT sku, sum(movements) AS n FROM stock_movement_daily_sku GROUP BY sku")) {
            total += ((Number) row.get("n")).doubleValue();
            skus.add((String) row.get("sku"));
            cumulative.add(total);
        }
        SplittableRandom random = new SplittableRandom(3);
        List<String> asked = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int k = java.util.Collections.binarySearch(cumulative, random.nextDouble() * total);
            asked.add(skus.get(Math.min(skus.size() - 1, k >= 0 ? k : -k - 1)));
        }
        return asked;
    }

    private static List<String> cycle(List<String> values, int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(values.get(i % values.size()));
        }
        return out;
    }

    private static OffsetDateTime utc(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
