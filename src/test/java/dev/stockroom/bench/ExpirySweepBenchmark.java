package dev.stockroom.bench;

import dev.stockroom.reservation.HoldRequest;
import dev.stockroom.reservation.ReservationConfig;
import dev.stockroom.reservation.ReservationService;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Http;
import dev.stockroom.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.awaitility.Awaitility.await;

/**
 * How long the expiry sweeper takes to give back holds that fall due together: the figure behind the expiry
 * bound stated in docs/performance.md. Reference: placing the same holds, measured in the same run.
 */
@QuarkusTest
class ExpirySweepBenchmark {

    private static final int HOLDS = 5_000;

    @Inject
    ReservationService reservations;

    @Inject
    ReservationConfig config;

    @Inject
    TestClock clock;

    @Inject
    Db db;

    @Test
    void sweep_fiveThousandHoldsDueAtOnce() throws Exception {
        String location = Api.unique("WH");
        String prefix = Api.unique("SWEEP");
        Api.location(location, 1);
        for (int i = 0; i < 50; i++) {
            Api.stock(prefix + "-" + i, location, 1_000);
        }
        List<Callable<Object>> holds = new ArrayList<>();
        for (int i = 0; i < HOLDS; i++) {
            String sku = prefix + "-" + (i % 50);
            holds.add(() -> reservations.reserve(null,
                    new HoldRequest("bench", List.of(new HoldRequest.Line(sku, 1, location)), 60)));
        }
        long placeStart = System.nanoTime();
        Http.concurrently(8, holds);
        double placeSeconds = (System.nanoTime() - placeStart) / 1e9;

        clock.advance(Duration.ofSeconds(61));
        long sweepStart = System.nanoTime();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(20)).until(() -> db.scalar(
                "SELECT count(*) FROM stock_level WHERE sku LIKE ? AND reserved > 0", prefix + "%") == 0);
        double sweepSeconds = (System.nanoTime() - sweepStart) / 1e9;

        int batches = (HOLDS + config.expiry().batchSize() - 1) / config.expiry().batchSize();
        System.out.printf("%nExpiry sweep, %d cores%n", Runtime.getRuntime().availableProcessors());
        System.out.printf("  place %d holds (8 threads, in-process): %.2f s = %.0f holds/s (reference)%n",
                HOLDS, placeSeconds, HOLDS / placeSeconds);
        System.out.printf("  expire them (interval %s, batch %d): %.2f s after they fell due = %.0f holds/s,"
                + " %.1f ms per batch of %d incl. waiting for the tick%n",
                config.expiry().interval(), config.expiry().batchSize(), sweepSeconds, HOLDS / sweepSeconds,
                1000 * sweepSeconds / batches, config.expiry().batchSize());
        System.out.printf("  ratio expire/place rate: %.1f%n%n", (HOLDS / sweepSeconds) / (HOLDS / placeSeconds));
    }
}
