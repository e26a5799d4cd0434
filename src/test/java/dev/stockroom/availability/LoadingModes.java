package dev.stockroom.availability;

import com.github.benmanes.caffeine.cache.Ticker;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTestProfile;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;

import static org.awaitility.Awaitility.await;

/**
 * The cache's loader in the refresh-storm test and benchmark (test scope only): the service's own
 * {@link BatchedEntryLoader}, or naive mode, switched while the service runs so that both meet the same load in one
 * process. Enabled only by profiles that extend {@link Enabled}; every other test runs the service's loader alone.
 *
 * <p>Naive mode is the cache as it is first written, and as it was when a refresh storm took a shop's write path
 * down: one query per SKU ({@code batch-size} 1), as many loads at once as a worker pool has threads (200), no
 * jitter (entries loaded together fall due together), on the write pool ({@link WritePoolSource}), without the read
 * pool's bulkhead, timeout and circuit breaker. The cache's read path, staleness bound and refresh flag are the
 * service's own in both modes.
 */
@Alternative
@Singleton
public class LoadingModes implements EntryLoader {

    /** Threads, and so loads at once, in naive mode: as many as a worker pool would have. */
    static final int NAIVE_THREADS = 200;

    /** Which loader fills the cache. */
    public enum Mode {
        /** The service's loader: batched, bounded, jittered, on the read pool. */
        DEFAULT,
        /** One query per SKU on 200 threads, no jitter, on the write pool. */
        NAIVE
    }

    /** A test profile that makes {@link LoadingModes} the cache's loader; extend it to add to the profile. */
    public static class Enabled implements QuarkusTestProfile {

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(LoadingModes.class);
        }
    }

    private final BatchedEntryLoader standard;
    private final BatchedEntryLoader naive;
    private final EntryStore store;
    /** Naive mode's own threads, one per SKU loaded at once: the worker pool must not be what limits it. */
    private final ExecutorService naiveThreads = Executors.newFixedThreadPool(NAIVE_THREADS, r -> {
        Thread t = new Thread(r, "naive-load");
        t.setDaemon(true);
        return t;
    });
    private volatile EntryLoader current;

    LoadingModes(BatchedEntryLoader standard, AvailabilityConfig config, AgroalDataSource writePool, EntryStore store,
                 Ticker ticker, Clock clock, MeterRegistry registry) {
        this.standard = standard;
        this.store = store;
        this.naive = new BatchedEntryLoader(new WritePoolSource(writePool, registry),
                new BatchedEntryLoader.Settings(1, NAIVE_THREADS, config.refreshInterval(), 0), store, ticker, clock,
                registry, naiveThreads);
        this.current = standard;
    }

    /**
     * Switches the loader and empties the cache, so that the next reads load every SKU the new way. The loads naive
     * mode still has running or queued end first: they hold write connections, which the next test's holds need.
     */
    public void use(Mode mode) {
        current = mode == Mode.NAIVE ? naive : standard;
        ThreadPoolExecutor threads = (ThreadPoolExecutor) naiveThreads;
        await().atMost(Duration.ofSeconds(120))
                .until(() -> threads.getActiveCount() == 0 && threads.getQueue().isEmpty());
        store.invalidateAll();
    }

    @Override
    public CompletableFuture<Entry> load(String sku) {
        return current.load(sku);
    }

    @PreDestroy
    void close() {
        naiveThreads.shutdownNow();
    }
}
