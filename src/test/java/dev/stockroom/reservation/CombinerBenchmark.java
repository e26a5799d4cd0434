package dev.stockroom.reservation;

import dev.stockroom.support.Api;
import dev.stockroom.support.BenchFigures;
import dev.stockroom.support.Db;
import dev.stockroom.support.Pgbench;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The combining engine alone, without HTTP: many callers place one-unit holds on one hot SKU straight into the
 * combiner, each placing its next hold when its last is answered, against pgbench running the statement that
 * decides a hold alone on the same row in the same run. What it shows is the engine's ceiling on this machine.
 *
 * <p>{@code ./mvnw -Pbench test -Dtest=CombinerBenchmark [-Dbench.seconds=10] [-Dbench.callers=512]
 * [-Dbench.jvm-warmup-seconds=90]}; needs pgbench.
 */
@QuarkusTest
class CombinerBenchmark {

    private static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    /** As long as the HTTP benchmarks warm up: on two cores the JIT takes that long to compile the hold path. */
    private static final int WARMUP_SECONDS = Integer.getInteger("bench.jvm-warmup-seconds", 90);
    private static final int CALLERS = Integer.getInteger("bench.callers", 512);

    @Inject
    HoldIntake intake;

    @Inject
    HoldCombiner combiner;

    @Inject
    MeterRegistry registry;

    @Inject
    Db db;

    @Test
    void combiner_oneHotSku_againstPgbenchOnTheSameRow() throws Exception {
        assumeTrue(Pgbench.installed(), Pgbench.BINARY + " is not installed (apt-get install postgresql-15)");
        String location = Api.unique("BENCH");
        Api.location(location, 1);
        String hot = Api.unique("HOT");
        db.rows("INSERT INTO stock_level (sku, location, on_hand, updated_at) VALUES (?, ?, 2000000000, now())"
                + " RETURNING 1", hot, location);
        HoldRequest request = new HoldRequest("bench", List.of(new HoldRequest.Line(hot, 1, location)), null);

        place(request, WARMUP_SECONDS);
        DistributionSummary batches = registry.find("stockroom.holds.batch.size").summary();
        long batchesBefore = batches.count();
        double heldBefore = batches.totalAmount();
        double perSecond = place(request, SECONDS);
        double meanBatch = (batches.totalAmount() - heldBefore) / (batches.count() - batchesBefore);
        Pgbench.Result pg = Pgbench.run("\\set q 1\n" + String.format(Pgbench.RESERVE, ":sku"),
                Map.of("sku", hot, "location", location), 64, SECONDS);

        System.out.printf("=== combiner alone, %d callers, one hot SKU: %.0f holds/s (mean batch %.1f); pgbench %.0f"
                + " tx/s, ratio %.2f%n%n", CALLERS, perSecond, meanBatch, pg.transactionsPerSecond(),
                perSecond / pg.transactionsPerSecond());
        BenchFigures.figure("holds", "holds/s, the combiner alone in process (no HTTP), one hot SKU, " + CALLERS
                + " callers", perSecond, "holds/s", "pgbench, the same UPDATE on the same row, 64 clients",
                pg.transactionsPerSecond());
        BenchFigures.fact("holds combiner alone", String.format("mean batch %.1f holds", meanBatch));
        assertThat(db.scalar("SELECT count(*) FROM stock_level WHERE sku = ? AND reserved >= on_hand", hot)).isZero();
    }

    /** Keeps {@code CALLERS} holds outstanding for {@code seconds}; answers how many were placed per second. */
    private double place(HoldRequest request, int seconds) throws InterruptedException {
        AtomicLong held = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        long started = System.nanoTime();
        for (int i = 0; i < CALLERS; i++) {
            callers.execute(() -> next(request, running, held, refused, callers));
        }
        // The measurement window: the callers stop placing holds after it.
        CompletableFuture.runAsync(() -> running.set(false), CompletableFuture.delayedExecutor(seconds,
                TimeUnit.SECONDS))
                .join();
        long placed = held.get();
        double elapsed = (System.nanoTime() - started) / 1e9;
        callers.shutdown();
        callers.awaitTermination(30, TimeUnit.SECONDS);
        if (refused.get() > 0) {
            System.out.printf("%d holds were answered 503 (queue full or deadline passed)%n", refused.get());
        }
        return placed / elapsed;
    }

    private void next(HoldRequest request, AtomicBoolean running, AtomicLong held, AtomicLong refused,
                      ExecutorService callers) {
        if (!running.get()) {
            return;
        }
        combiner.submit(intake.take(java.util.UUID.randomUUID().toString(), request))
                .whenCompleteAsync((outcome, failure) -> {
                    (failure == null ? held : refused).incrementAndGet();
                    next(request, running, held, refused, callers);
                }, callers);
    }
}
