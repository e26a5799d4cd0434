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
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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
import static org.awaitility.Awaitility.await;

/**
 * The incident, in a test: every entry of a large cache falls due at once under heavy reads while checkouts hold
 * stock. Refreshes must stay batched and inside the read pool, and holds must never fail for want of a connection.
 */
@QuarkusTest
class RefreshStormTest {

    private static final int SKUS = 20_000;
    private static final int READERS = 64;
    private static final int HOLDERS = 8;
    private static final int HOLDS = 300;
    private static final int HOLD_STOCK = 50;
    private static final int PASSES = 2;
    private static final int HOT_SKUS = 4;

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
        // Given: 20,000 SKUs cached in the same instant, and four SKUs of 50 units that checkouts hold
        String location = Api.unique("WH");
        Api.location(location, 1);
        String prefix = Api.unique("STORM");
        db.rows("INSERT INTO stock_level (sku, location, on_hand, updated_at)"
                + " SELECT ? || '-' || g, ?, 5, now() FROM generate_series(1, ?) g RETURNING 1", prefix, location, SKUS);
        List<String> skus = IntStream.rangeClosed(1, SKUS).mapToObj(i -> prefix + "-" + i).toList();
        cache.load(skus).get(60, java.util.concurrent.TimeUnit.SECONDS);
        List<String> hot = IntStream.range(0, HOT_SKUS).mapToObj(i -> Api.unique("HOT")).toList();
        hot.forEach(sku -> Api.stock(sku, location, HOLD_STOCK));
        double queriesBefore = queries();

        // When: time passes every entry's refresh time; 64 threads read all keys twice, while 8 threads place 300
        // one-unit holds on the hot SKUs
        ticker.advance(config.refreshInterval().multipliedBy(2));
        AtomicBoolean storming = new AtomicBoolean(true);
        AtomicInteger peakActive = new AtomicInteger();
        AtomicInteger peakServerSide = new AtomicInteger();
        // The sampler has its own connection: it must not take one of the write pool's from the holds.
        Connection monitor = DriverManager.getConnection(
                ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class), "postgres", "postgres");
        CompletableFuture<Void> sampler = CompletableFuture.runAsync(() -> {
            try (monitor; Statement s = monitor.createStatement()) {
                while (storming.get()) {
                    peakActive.accumulateAndGet(readPool.getHikariPoolMXBean().getActiveConnections(), Math::max);
                    try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity"
                            + " WHERE application_name = 'stockroom-read' AND state <> 'idle'")) {
                        rs.next();
                        peakServerSide.accumulateAndGet(rs.getInt(1), Math::max);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        ExecutorService holders = Executors.newFixedThreadPool(HOLDERS);
        List<Future<HttpResponse<String>>> holds = new ArrayList<>();
        for (int i = 0; i < HOLDS; i++) {
            String body = "{\"orderRef\":\"storm\",\"lines\":[{\"sku\":\"" + hot.get(i % HOT_SKUS)
                    + "\",\"quantity\":1}]}";
            holds.add(holders.submit(() -> Http.post(reservations, body, null)));
        }
        List<Callable<Integer>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            readers.add(() -> readAll(skus));
        }
        List<Integer> staleReads;
        List<HttpResponse<String>> holdAnswers = new ArrayList<>();
        try {
            staleReads = Http.concurrently(READERS, readers);
            // the refresh cycle the readers set off runs to its end
            await().atMost(Duration.ofSeconds(60)).until(() -> everyEntryFresh(skus));
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
        assertThat(staleReads.stream().mapToInt(Integer::intValue).sum()).isPositive();
        assertThat(cycleQueries).isBetween((double) fullBatches, fullBatches * 1.2);
        // never more read connections in use than the pool has, seen from the pool and from the server
        assertThat(peakActive.get()).isBetween(1, config.readPool().size());
        assertThat(peakServerSide.get()).isLessThanOrEqualTo(config.readPool().size());
        // every hold succeeded or failed on stock alone
        assertThat(holdAnswers).filteredOn(a -> a.statusCode() == 201).hasSize(HOLD_STOCK * HOT_SKUS);
        assertThat(holdAnswers).filteredOn(a -> a.statusCode() != 201).hasSize(HOLDS - HOLD_STOCK * HOT_SKUS)
                .allSatisfy(a -> {
                    assertThat(a.statusCode()).isEqualTo(409);
                    assertThat(a.body()).contains("insufficient-stock");
                });
        hot.forEach(sku -> assertThat(db.level(sku, location)).containsExactly(HOLD_STOCK, HOLD_STOCK, 0, 0));
    }

    /** Reads every key in its own shuffled order, 50 at a time, {@link #PASSES} times; returns the stale reads. */
    private int readAll(List<String> skus) {
        List<String> order = new ArrayList<>(skus);
        Collections.shuffle(order);
        int stale = 0;
        for (int pass = 0; pass < PASSES; pass++) {
            for (int i = 0; i < order.size(); i += 50) {
                for (AvailabilityCache.Served served : cache.read(order.subList(i, Math.min(i + 50, order.size())))) {
                    stale += served.status() == CacheStatus.STALE ? 1 : 0;
                }
            }
        }
        return stale;
    }

    private boolean everyEntryFresh(List<String> skus) {
        return cache.read(skus).stream().allMatch(s -> s.status() == CacheStatus.HIT);
    }

    private double queries() {
        return registry.get("stockroom.availability.load.queries").tag("pool", "read").counter().count();
    }
}
