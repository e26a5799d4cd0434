package dev.stockroom.bench;

import dev.stockroom.support.Api;
import dev.stockroom.support.BenchFigures;
import dev.stockroom.support.Commands;
import dev.stockroom.support.Db;
import dev.stockroom.support.Pgbench;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Holds over HTTP against the bare statement that decides a hold alone: {@code wrk} places one-unit holds, each with
 * a fresh {@code Idempotency-Key} and a storefront token, then {@code pgbench} runs that conditional {@code UPDATE}
 * on the same rows of the same embedded PostgreSQL with the same number of clients. One subclass per hold engine;
 * {@code loadtests/bench.sh} runs both, so the engines stand side by side with their references.
 *
 * <p>Scenarios: one hot SKU at 64 and at 512 connections (the latter beside nothing: it is about shedding and
 * latency), the same spread over 10,000 SKUs, and {@code GET /v1/ping} of the same build. With
 * {@code -Dstockroom.embedded-db.durable=true} (commits wait for the disk) only the hot SKU at 64 runs, labelled
 * durable. Rounds alternate service and reference; the best of each is kept.
 *
 * <p>{@code -Dbench.seconds=10 -Dbench.warmup-seconds=3 -Dbench.rounds=2 -Dbench.spread-skus=10000
 * -Dbench.jvm-warmup-seconds=90}: before any round, holds on the spread rows for that long, unmeasured. On two cores
 * the JIT was still compiling the hold path (and the embedded broker's code) a minute into a run, using more than
 * a core for it; measured after 30 s the hot SKU ran at two thirds of its rate after 90 s. Every row holds
 * two billion units, so no hold fails for stock. Needs {@code wrk} and {@code pgbench}.
 */
abstract class HoldBenchmark {

    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    private static final int ROUNDS = Integer.getInteger("bench.rounds", 2);
    private static final int JVM_WARMUP_SECONDS = Integer.getInteger("bench.jvm-warmup-seconds", 90);
    private static final int SPREAD_SKUS = Integer.getInteger("bench.spread-skus", 10_000);
    private static final boolean DURABLE = Boolean.getBoolean("stockroom.embedded-db.durable");
    private static final int ON_HAND = 2_000_000_000;

    @TestHTTPResource("/v1/reservations")
    URI reservations;

    @TestHTTPResource("/v1/ping")
    URI ping;

    @Inject
    Db db;

    @Inject
    MeterRegistry registry;

    /** The engine under measurement, as the flag {@code holds.engine} names it. */
    abstract String engine();

    @Test
    void holds_hotSkuSpreadAndCrowd_againstPgbenchOnTheSameRows() throws Exception {
        assumeTrue(Commands.installed("wrk"), "wrk is not installed (apt-get install wrk)");
        assumeTrue(Pgbench.installed(), Pgbench.BINARY + " is not installed (apt-get install postgresql-15)");
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
        // A service runs warm: holds on other rows first, so that the JIT has compiled the hold path before any
        // round is measured (pgbench, the reference, has nothing to compile). See the class comment.
        Wrk.holds(reservations, prefix, SPREAD_SKUS, location, 64, JVM_WARMUP_SECONDS);
        Wrk.Holds hot64 = compare(DURABLE ? "durable" : "hot", "one hot SKU", 64, hot, 1, location, ":sku",
                Map.of("sku", hot));
        if (!DURABLE) {
            // After the holds, so that the reference runs on a JVM as warm as theirs: while the JIT compiles, the
            // first round of holds runs at about half the rate of the second.
            Wrk.Run pong = Wrk.get(ping, 64, SECONDS);
            BenchFigures.figure("holds", figure("one hot SKU, 64 connections"), hot64.heldPerSecond(), "holds/s",
                    "GET /v1/ping of the same build, 64 connections", pong.requestsPerSecond());
            crowd(hot, location);
            compare("spread", String.format("spread over %,d SKUs", SPREAD_SKUS), 64, prefix, SPREAD_SKUS,
                    location, ":prefix::text || '-' || :n::text", Map.of("prefix", prefix));
        }
        // Neither side ran out: every hold measured was decided on stock that was there.
        assertThat(db.scalar("SELECT count(*) FROM stock_level WHERE location = ? AND reserved >= on_hand", location))
                .isZero();
    }

    private Wrk.Holds compare(String key, String title, int connections, String sku, int skus, String location,
                              String skuCondition, Map<String, String> variables) throws Exception {
        String script = (skus > 1 ? "\\set n random(1, " + skus + ")\n" : "") + "\\set q 1\n"
                + String.format(Pgbench.RESERVE, skuCondition);
        Map<String, String> pgVariables = new java.util.TreeMap<>(variables);
        pgVariables.put("location", location);
        Wrk.Holds best = null;
        Pgbench.Result reference = null;
        for (int round = 1; round <= ROUNDS; round++) {
            Wrk.Holds holds = holds(sku, skus, location, connections);
            Pgbench.Result pg = Pgbench.run(script, pgVariables, connections, SECONDS);
            System.out.printf("holds, %s, %s, round %d: %s; pgbench %.0f tx/s (latency %.1f ms)%n", engine(), title,
                    round, holds, pg.transactionsPerSecond(), pg.latencyMs());
            best = best == null || holds.heldPerSecond() > best.heldPerSecond() ? holds : best;
            reference = reference == null || pg.transactionsPerSecond() > reference.transactionsPerSecond()
                    ? pg : reference;
        }
        String label = (DURABLE ? "durable, " : "") + title + ", " + connections + " connections";
        System.out.printf("=== holds, %s, %s: service %.0f holds/s, pgbench %.0f tx/s, ratio %.3f%n%n", engine(), label,
                best.heldPerSecond(), reference.transactionsPerSecond(),
                best.heldPerSecond() / reference.transactionsPerSecond());
        BenchFigures.figure("holds", figure(label), best.heldPerSecond(), "holds/s",
                "pgbench, the same UPDATE on the same rows, " + connections + " clients"
                        + (DURABLE ? ", durable" : ""), reference.transactionsPerSecond());
        BenchFigures.fact("holds " + engine() + " " + key, best.describe() + "; pgbench average "
                + String.format("%.1f ms", reference.latencyMs()));
        BenchFigures.series("holds-" + engine() + "-" + key + ".tsv", "engine\tscenario\tholds/s\treference",
                java.util.List.of(engine() + "\t" + key + "\t" + Math.round(best.heldPerSecond()) + "\t"
                        + Math.round(reference.transactionsPerSecond())));
        return best;
    }

    /** 512 connections on the hot SKU: what share is shed, and how long the others wait. */
    private void crowd(String hot, String location) throws Exception {
        Wrk.Holds crowd = holds(hot, 1, location, 512);
        long answers = crowd.statuses().values().stream().mapToLong(Long::longValue).sum();
        double shed = 100.0 * crowd.statuses().getOrDefault("503", 0L) / Math.max(1, answers);
        System.out.printf("=== holds, %s, one hot SKU, 512 connections: %s, %.2f%% answered 503%n%n", engine(), crowd,
                shed);
        BenchFigures.figure("holds", figure("one hot SKU, 512 connections: share answered 503"), shed, "%",
                "the target", 1);
        BenchFigures.figure("holds", figure("one hot SKU, 512 connections: p99"), crowd.p99Ms(), "ms", "the target",
                250);
        BenchFigures.fact("holds " + engine() + " crowd", crowd.describe());
    }

    private Wrk.Holds holds(String sku, int skus, String location, int connections) throws Exception {
        double batchesBefore = batchCount();
        double heldBefore = batchTotal();
        Wrk.Holds holds = Wrk.holds(reservations, sku, skus, location, connections, SECONDS);
        double batches = batchCount() - batchesBefore;
        return holds.withMeanBatch(batches == 0 ? Double.NaN : (batchTotal() - heldBefore) / batches);
    }

    private double batchCount() {
        var summary = registry.find("stockroom.holds.batch.size").summary();
        return summary == null ? 0 : summary.count();
    }

    private double batchTotal() {
        var summary = registry.find("stockroom.holds.batch.size").summary();
        return summary == null ? 0 : summary.totalAmount();
    }

    private String figure(String scenario) {
        return "holds/s over HTTP, " + engine() + " engine, " + scenario;
    }

    /** The conditions the figures were measured under, for the summary. */
    private void recordFacts() {
        Config config = ConfigProvider.getConfig();
        BenchFigures.database(db, "settings" + (DURABLE ? " (durable run)" : ""));
        BenchFigures.fact("pools", "write pool " + config.getValue("quarkus.datasource.jdbc.max-size", String.class)
                + ", read pool " + config.getValue("stockroom.availability.read-pool.size", String.class)
                + "; combiner: " + config.getValue("stockroom.holds.writers", String.class)
                + " writers, batches of up to "
                + config.getValue("stockroom.holds.batch-size", String.class) + "; direct engine: shedding permits "
                + config.getValue("stockroom.shedding.permits", String.class) + " waiting at most "
                + config.getValue("stockroom.shedding.max-wait", String.class));
    }
}
