package dev.stockroom.bench;

import dev.stockroom.support.Api;
import dev.stockroom.support.BenchFigures;
import dev.stockroom.support.Commands;
import dev.stockroom.support.Db;
import dev.stockroom.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Holds over HTTP against the bare statement that decides them: {@code wrk} places one-unit holds with 64
 * connections, then {@code pgbench} runs the service's own conditional {@code UPDATE} (from
 * {@code StockLevelRepository.reserve}) with 64 clients on the same rows of the same embedded PostgreSQL. First on
 * one hot SKU, then spread over many. Rounds alternate service and reference; the best of each is reported.
 *
 * <p>{@code ./mvnw -Pbench test -Dtest=HoldBenchmark [-Dbench.clients=64] [-Dbench.seconds=10]
 * [-Dbench.warmup-seconds=3] [-Dbench.rounds=2] [-Dbench.spread-skus=10000]}. Every row starts with two billion
 * on hand, so neither side runs out of stock while it is measured. Needs {@code wrk} and {@code pgbench}.
 */
@QuarkusTest
class HoldBenchmark {

    private static final int CLIENTS = Integer.getInteger("bench.clients", 64);
    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.warmup-seconds", 3);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    private static final int SPREAD_SKUS = Integer.getInteger("bench.spread-skus", 10_000);
    /** pgbench: {@code -Dbench.pgbench} (bench.sh finds one), else the one on PATH. */
    private static final String PGBENCH = System.getProperty("bench.pgbench", "pgbench");
    private static final int ON_HAND = 2_000_000_000;
    /** The brief's pgbench figures for its one-statement table at 64 clients (docs: design brief). */
    private static final double BRIEF_HOT_ROW = 2_000;
    private static final double BRIEF_SPREAD = 12_000;

    /** StockLevelRepository.reserve, with pgbench variables for its parameters and now() for the clock. */
    private static final String RESERVE = "UPDATE stock_level s SET reserved = reserved + :q, version = version + 1,"
            + " updated_at = now() WHERE sku = %s AND location = :location"
            + " AND (on_hand - reserved - committed - safety_stock) >= :q"
            + " AND EXISTS (SELECT 1 FROM location l WHERE l.code = s.location AND l.active)"
            + " RETURNING sku, location, on_hand, reserved, committed, safety_stock, version, updated_at;\n";

    @TestHTTPResource("/v1/reservations")
    URI reservations;

    @Inject
    Db db;

    @Inject
    AgroalDataSource dataSource;

    /** What one wrk run of holds came to. */
    record Holds(double heldPerSecond, Map<String, Long> statuses, double p50Ms, double p99Ms) {
    }

    /** What one pgbench run came to. */
    record Pgbench(double transactionsPerSecond, double latencyMs) {
    }

    @Test
    void holds_hotSkuThenSpread_againstPgbenchRunningTheSameUpdate() throws Exception {
        assumeTrue(Commands.installed("wrk"), "wrk is not installed (apt-get install wrk)");
        assumeTrue(Commands.installed(PGBENCH), PGBENCH + " is not installed (apt-get install postgresql)");
        String location = Api.unique("BENCH");
        Api.location(location, 1);
        String hot = Api.unique("HOT");
        String prefix = Api.unique("SPREAD");
        db.rows("INSERT INTO stock_level (sku, location, on_hand, updated_at) VALUES (?, ?, ?, now()) RETURNING 1",
                hot, location, ON_HAND);
        db.rows("INSERT INTO stock_level (sku, location, on_hand, updated_at)"
                + " SELECT ? || '-' || g, ?, ?, now() FROM generate_series(1, ?) g RETURNING 1",
                prefix, location, ON_HAND, SPREAD_SKUS);
        recordFacts();

        compare("one hot SKU", "hot", hot, 1, location, ":sku", Map.of("sku", hot));
        compare(String.format("spread over %,d SKUs", SPREAD_SKUS), "spread", prefix, SPREAD_SKUS, location,
                ":prefix::text || '-' || :n::text", Map.of("prefix", prefix));
        calibrate();

        // Neither side may have run out: every hold that was measured was decided on stock that was there.
        assertThat(db.scalar("SELECT count(*) FROM stock_level WHERE location = ? AND reserved >= on_hand", location))
                .isZero();
    }

    private void compare(String title, String key, String sku, int skus, String location, String skuCondition,
                         Map<String, String> variables) throws Exception {
        Path script = script("reserve-", ".sql", (skus > 1 ? "\\set n random(1, " + skus + ")\n" : "") + "\\set q 1\n"
                + String.format(RESERVE, skuCondition));
        Map<String, String> pgVariables = new TreeMap<>(variables);
        pgVariables.put("location", location);
        Holds best = null;
        Pgbench reference = null;
        for (int round = 1; round <= ROUNDS; round++) {
            Holds holds = holds(sku, skus, location);
            Pgbench pg = pgbench(script, pgVariables);
            System.out.printf("holds, %s, round %d: service %.0f holds/s (p50 %.1f ms, p99 %.1f ms, answers %s);"
                            + " pgbench %.0f tx/s (latency %.1f ms)%n", title, round, holds.heldPerSecond(),
                    holds.p50Ms(), holds.p99Ms(), holds.statuses(), pg.transactionsPerSecond(), pg.latencyMs());
            best = best == null || holds.heldPerSecond() > best.heldPerSecond() ? holds : best;
            reference = reference == null || pg.transactionsPerSecond() > reference.transactionsPerSecond() ? pg : reference;
        }
        System.out.printf("=== holds, %s, %d clients, best of %d rounds of %d s: service %.0f holds/s, pgbench %.0f tx/s,"
                        + " ratio %.3f%n%n", title, CLIENTS, ROUNDS, SECONDS, best.heldPerSecond(),
                reference.transactionsPerSecond(), best.heldPerSecond() / reference.transactionsPerSecond());
        BenchFigures.figure("holds", "holds/s over HTTP, " + title + ", " + CLIENTS + " clients", best.heldPerSecond(),
                "holds/s", "pgbench, the same UPDATE on the same rows, " + CLIENTS + " clients",
                reference.transactionsPerSecond());
        BenchFigures.fact("holds " + key + " latency", String.format("service p50 %.1f ms, p99 %.1f ms; pgbench average %.1f ms",
                best.p50Ms(), best.p99Ms(), reference.latencyMs()));
        BenchFigures.fact("holds " + key + " answers", best.statuses().toString());
    }

    /** wrk with a script that places one-unit holds (on a random SKU of the spread) and counts answers by status. */
    private Holds holds(String sku, int skus, String location) throws Exception {
        Path script = script("holds-", ".lua", """
                local prefix, count, location = "%s", %d, "%s"
                threads, counts, id = {}, {}, 0
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                function setup(thread) id = id + 1; thread:set("id", id); table.insert(threads, thread) end
                function init(args) math.randomseed(os.time() * 100 + id); counts = {} end
                function request()
                  local sku = count > 1 and (prefix .. "-" .. math.random(count)) or prefix
                  return wrk.format(nil, nil, nil, '{"orderRef":"bench","lines":[{"sku":"' .. sku
                    .. '","quantity":1,"location":"' .. location .. '"}]}')
                end
                function response(status, headers, body) counts[status] = (counts[status] or 0) + 1 end
                function done(summary, latency, requests)
                  local total = {}
                  for _, t in ipairs(threads) do
                    for s, n in pairs(t:get("counts")) do total[s] = (total[s] or 0) + n end
                  end
                  for s, n in pairs(total) do io.write(string.format("status %%d %%d\\n", s, n)) end
                  io.write(string.format("p50 %%d p99 %%d us %%d\\n", latency:percentile(50), latency:percentile(99),
                    summary.duration))
                end
                """.formatted(sku, skus, location));
        String auth = "Authorization: Bearer " + Tokens.withRoles("storefront");
        String threads = Integer.toString(Math.min(CLIENTS, 2));
        // wrk gives up on an answer after 2 s by default and counts it only as a timeout: wait longer, and say so.
        Commands.run("wrk", "-t" + threads, "-c" + CLIENTS, "-d" + WARMUP_SECONDS + "s", "--timeout", "10s",
                "-s", script.toString(), "-H", auth, reservations.toString());
        String out = Commands.run("wrk", "-t" + threads, "-c" + CLIENTS, "-d" + SECONDS + "s", "--timeout", "10s",
                "-s", script.toString(), "-H", auth, reservations.toString());
        Map<String, Long> statuses = new TreeMap<>();
        Matcher status = Pattern.compile("(?m)^status (\\d+) (\\d+)$").matcher(out);
        while (status.find()) {
            statuses.put(status.group(1), Long.parseLong(status.group(2)));
        }
        Matcher timeouts = Pattern.compile("timeout (\\d+)").matcher(out);
        if (timeouts.find() && !"0".equals(timeouts.group(1))) {
            statuses.put("timeout", Long.parseLong(timeouts.group(1)));
        }
        Matcher latency = Pattern.compile("(?m)^p50 (\\d+) p99 (\\d+) us (\\d+)$").matcher(out);
        if (!latency.find()) {
            throw new IllegalStateException("wrk printed no summary:\n" + out);
        }
        double seconds = Long.parseLong(latency.group(3)) / 1e6;
        return new Holds(statuses.getOrDefault("201", 0L) / seconds, statuses,
                Long.parseLong(latency.group(1)) / 1000.0, Long.parseLong(latency.group(2)) / 1000.0);
    }

    private Pgbench pgbench(Path script, Map<String, String> variables) throws Exception {
        Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)")
                .matcher(ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class));
        assertThat(url.find()).as("a PostgreSQL JDBC URL").isTrue();
        List<String> command = new ArrayList<>(List.of(PGBENCH, "-h", url.group(1), "-p", url.group(2), "-U", "postgres",
                "-n", "-M", "prepared", "-c", Integer.toString(CLIENTS), "-j", "2", "-T", Integer.toString(SECONDS),
                "-f", script.toString()));
        variables.forEach((name, value) -> command.addAll(List.of("-D", name + "=" + value)));
        command.add(url.group(3));
        String out = Commands.run(Map.of("PGPASSWORD", "postgres"), command);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        Matcher latency = Pattern.compile("latency average = ([0-9.]+) ms").matcher(out);
        if (!tps.find() || !latency.find()) {
            throw new IllegalStateException("pgbench printed no figures:\n" + out);
        }
        return new Pgbench(Double.parseDouble(tps.group(1)), Double.parseDouble(latency.group(1)));
    }

    /**
     * The brief's own one-statement table, hot row and spread, against the brief's figures: says how busy this
     * machine was compared with the one those figures came from.
     */
    private void calibrate() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS bench_brief_stock");
            s.execute("CREATE TABLE bench_brief_stock (sku integer PRIMARY KEY, on_hand integer NOT NULL,"
                    + " reserved integer NOT NULL)");
            s.execute("INSERT INTO bench_brief_stock SELECT g, " + ON_HAND + ", 0 FROM generate_series(1, 10000) g");
        }
        String update = "UPDATE bench_brief_stock SET reserved = reserved + 1 WHERE sku = :sku AND on_hand - reserved >= 1;\n";
        Path hot = script("brief-hot-", ".sql", "\\set sku 1\n" + update);
        Path spread = script("brief-spread-", ".sql", "\\set sku random(1, 10000)\n" + update);
        Pgbench hotRow = pgbench(hot, Map.of());
        Pgbench spreadRows = pgbench(spread, Map.of());
        System.out.printf("=== the brief's pgbench table on this machine, %d clients: hot row %.0f tx/s (brief ~%.0f),"
                        + " 10,000 rows %.0f tx/s (brief ~%.0f)%n%n", CLIENTS, hotRow.transactionsPerSecond(),
                BRIEF_HOT_ROW, spreadRows.transactionsPerSecond(), BRIEF_SPREAD);
        BenchFigures.figure("calibration", "pgbench, the brief's one-statement table, one hot row, " + CLIENTS + " clients",
                hotRow.transactionsPerSecond(), "tx/s", "the brief's figure (PostgreSQL 15, 2 cores)", BRIEF_HOT_ROW);
        BenchFigures.figure("calibration", "pgbench, the brief's one-statement table, 10,000 rows, " + CLIENTS + " clients",
                spreadRows.transactionsPerSecond(), "tx/s", "the brief's figure (PostgreSQL 15, 2 cores)", BRIEF_SPREAD);
    }

    /** A script for wrk or pgbench, in a temporary file that goes when the JVM does. */
    private static Path script(String prefix, String suffix, String text) throws java.io.IOException {
        Path file = Files.createTempFile(prefix, suffix);
        file.toFile().deleteOnExit();
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** The conditions the figures were measured under, for the summary. */
    private void recordFacts() {
        Config config = ConfigProvider.getConfig();
        BenchFigures.fact("postgresql", db.rows("SELECT version() AS v").get(0).get("v").toString());
        BenchFigures.fact("max_connections", db.rows("SHOW max_connections").get(0).values().iterator().next().toString());
        BenchFigures.fact("settings", db.rows("SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name)"
                + " AS s FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes', 'shared_buffers')")
                .get(0).get("s").toString());
        BenchFigures.fact("pools", "write pool " + config.getValue("quarkus.datasource.jdbc.max-size", String.class)
                + ", read pool " + config.getValue("stockroom.availability.read-pool.size", String.class)
                + ", shedding permits " + config.getValue("stockroom.shedding.permits", String.class)
                + " waiting at most " + config.getValue("stockroom.shedding.max-wait", String.class));
    }
}
