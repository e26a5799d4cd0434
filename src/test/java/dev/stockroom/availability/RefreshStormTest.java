package dev.stockroom.availability;

import com.zaxxer.hikari.HikariDataSource;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Http;
import dev.stockroom.support.TestTicker;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The incident, in a test: every entry of a large cache falls due at once under heavy reads while checkouts hold
 * stock. Refreshes must stay batched and inside the read pool, and holds must never fail for want of a connection.
 */
@QuarkusTest
class RefreshStormTest {

    private static final int SKUS = 20_000;
    private static final int READERS = 64;
    private static final int HOLDERS = 16;
    private static final int HOLDS = 300;
    private static final int HOLD_STOCK = 200;
    private static final int MAX_PASSES = 1_000;

    @TestHTTPResource("/v1/reservations")
    URI reservations;

    @Inject
    AvailabilityCache cache;

    @Inject
    AvailabilityConfig config;

    @Inject
    TestTicker ticker;

    @Inject
    Db db;

    @Inject
    @ReadPool
    HikariDataSource readPool;

    @Inject
    MeterRegistry registry;

    @Test
    void refresh_20000EntriesDueAtOnceUnder64Readers_batchedInsideTheReadPoolWhileHoldsSucceed() throws Exception {
        // Given: 20,000 SKUs cached in the same instant, and one SKU that checkouts hold
        String location = Api.unique("WH");
        Api.location(location, 1);
        String prefix = Api.unique("STORM");
        db.rows("INSERT INTO stock_level (sku, location, on_hand, updated_at)"
                + " SELECT ? || '-' || g, ?, 5, now() FROM generate_series(1, ?) g RETURNING 1", prefix, location, SKUS);
        List<String> skus = IntStream.rangeClosed(1, SKUS).mapToObj(i -> prefix + "-" + i).toList();
        cache.read(skus);
        String hot = Api.unique("HOT");
        Api.stock(hot, location, HOLD_STOCK);
        double queriesBefore = queries();

        // When: time passes every entry's refresh time; 64 threads read all keys until none is stale, while
        // 16 threads place 300 one-unit holds on the hot SKU
        ticker.advance(config.refreshInterval().multipliedBy(2));
        AtomicBoolean storming = new AtomicBoolean(true);
        AtomicInteger peakActive = new AtomicInteger();
        AtomicInteger peakServerSide = new AtomicInteger();
        CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
            while (storming.get()) {
                peakActive.accumulateAndGet(readPool.getHikariPoolMXBean().getActiveConnections(), Math::max);
                peakServerSide.accumulateAndGet((int) db.scalar("SELECT count(*) FROM pg_stat_activity"
                        + " WHERE application_name = 'stockroom-read' AND state <> 'idle'"), Math::max);
            }
        });
        ExecutorService holders = Executors.newFixedThreadPool(HOLDERS);
        List<Future<HttpResponse<String>>> holds = new ArrayList<>();
        String body = "{\"orderRef\":\"storm\",\"lines\":[{\"sku\":\"" + hot + "\",\"quantity\":1}]}";
        for (int i = 0; i < HOLDS; i++) {
            holds.add(holders.submit(() -> Http.post(reservations, body, null)));
        }
        List<Callable<Integer>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            readers.add(() -> readUntilNothingIsStale(skus));
        }
        List<Integer> passes;
        List<HttpResponse<String>> holdAnswers = new ArrayList<>();
        try {
            passes = Http.concurrently(READERS, readers);
            for (Future<HttpResponse<String>> hold : holds) {
                holdAnswers.add(hold.get());
            }
        } finally {
            storming.set(false);
            holders.shutdownNow();
        }
        sampler.get();

        // Then: one refresh cycle took at most ceil(20,000 / batch size) × 1.2 queries
        double cycleQueries = queries() - queriesBefore;
        int fullBatches = (SKUS + config.batchSize() - 1) / config.batchSize();
        assertThat(passes).allSatisfy(p -> assertThat(p).isLessThan(MAX_PASSES));
        assertThat(cycleQueries).isBetween((double) fullBatches, fullBatches * 1.2);
        assertThat(cache.read(skus)).allSatisfy(s -> assertThat(s.status()).isEqualTo(CacheStatus.HIT));
        // never more read connections in use than the pool has, seen from the pool and from the server
        assertThat(peakActive.get()).isBetween(1, config.readPool().size());
        assertThat(peakServerSide.get()).isLessThanOrEqualTo(config.readPool().size());
        // every hold succeeded or failed on stock alone
        assertThat(holdAnswers).filteredOn(a -> a.statusCode() == 201).hasSize(HOLD_STOCK);
        assertThat(holdAnswers).filteredOn(a -> a.statusCode() != 201).hasSize(HOLDS - HOLD_STOCK)
                .allSatisfy(a -> {
                    assertThat(a.statusCode()).isEqualTo(409);
                    assertThat(a.body()).contains("insufficient-stock");
                });
        assertThat(db.level(hot, location)).containsExactly(HOLD_STOCK, HOLD_STOCK, 0, 0);
    }

    /** Reads every key in its own shuffled order, 50 at a time, until a whole pass sees nothing stale. */
    private int readUntilNothingIsStale(List<String> skus) {
        List<String> order = new ArrayList<>(skus);
        Collections.shuffle(order);
        for (int pass = 1; pass < MAX_PASSES; pass++) {
            boolean stale = false;
            for (int i = 0; i < order.size(); i += 50) {
                for (AvailabilityCache.Served served : cache.read(order.subList(i, Math.min(i + 50, order.size())))) {
                    stale |= served.status() != CacheStatus.HIT;
                }
            }
            if (!stale) {
                return pass;
            }
        }
        return MAX_PASSES;
    }

    private double queries() {
        return registry.get("stockroom.availability.load.queries").tag("pool", "read").counter().count();
    }
}
