package dev.stockroom.availability;

import com.github.benmanes.caffeine.cache.Ticker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Loads entries in batches: every SKU asked for joins a {@link BatchLoader}, which sends up to {@code batch-size}
 * SKUs per query to the {@link LevelSource} (the guarded read pool), at most {@code max-batches-in-flight} queries
 * at once. Each SKU loaded becomes a fresh {@link Entry}, due for refresh after the interval spread by ±jitter so
 * that entries loaded together come due apart, and is merged into the {@link EntryStore} before its callers hear.
 *
 * <p>The batches run on threads of their own, exactly {@code max-batches-in-flight} of them, rather than on
 * Quarkus's worker pool: reads wait for their misses on worker threads, so a burst of misses could fill the worker
 * pool with reads waiting for loads that then find no thread to run on, and every read would fail at its deadline.
 * Jobs blocked on a stalled database (the expiry sweep, the rollup, the outbox) hold worker threads too. A batch
 * always has a thread here, and there are no more threads than batches allowed at once.
 *
 * <p>Built at start, with the read pool's guard, so that the first read of a SKU pays for a query and nothing else.
 */
@Singleton
@Startup
final class BatchedEntryLoader implements EntryLoader {

    /** How a loader batches, and when what it loads falls due again. */
    record Settings(int batchSize, int maxInFlight, Duration refreshInterval, double jitter) {

        static Settings of(AvailabilityConfig config) {
            return new Settings(config.batchSize(), config.maxBatchesInFlight(), config.refreshInterval(),
                    config.jitter());
        }
    }

    private static final Logger LOG = Logger.getLogger(BatchedEntryLoader.class);

    private final LevelSource source;
    private final Settings settings;
    private final EntryStore store;
    private final Ticker ticker;
    private final Clock clock;
    private final BatchLoader<Entry> batches;
    private final Counter failures;
    private final ExecutorService threads;
    private final AtomicLong lastFailureLogged = new AtomicLong(System.nanoTime() - 2_000_000_000L);

    @Inject
    BatchedEntryLoader(AvailabilityConfig config, ReadPoolLoader readPool, EntryStore store, Ticker ticker,
                       Clock clock, MeterRegistry registry) {
        this(readPool, Settings.of(config), store, ticker, clock, registry, loadThreads(config.maxBatchesInFlight()));
    }

    /** @param threads run the batches, at most {@code settings.maxInFlight()} at once; shut down with the loader */
    BatchedEntryLoader(LevelSource source, Settings settings, EntryStore store, Ticker ticker, Clock clock,
                       MeterRegistry registry, ExecutorService threads) {
        this.threads = threads;
        this.source = source;
        this.settings = settings;
        this.store = store;
        this.ticker = ticker;
        this.clock = clock;
        this.batches = new BatchLoader<>(settings.batchSize(), settings.maxInFlight(), threads, this::loadBatch);
        this.failures = Counter.builder("stockroom.availability.load.failures")
                .description("Batched loads that failed (timeout, bulkhead, open circuit, database error)")
                .register(registry);
    }

    private static ExecutorService loadThreads(int count) {
        AtomicInteger started = new AtomicInteger();
        return Executors.newFixedThreadPool(count, r -> {
            Thread t = new Thread(r, "availability-load-" + started.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public CompletableFuture<Entry> load(String sku) {
        return batches.load(sku);
    }

    @PreDestroy
    void close() {
        threads.shutdownNow();
    }

    private Map<String, Entry> loadBatch(List<String> skus) throws Exception {
        Instant asOf = clock.instant();
        long loadedNanos = ticker.read();
        long started = System.nanoTime();
        Map<String, List<CachedLevel>> loaded;
        try {
            loaded = source.load(skus);
        } catch (Exception e) {
            store.recordLoad(false, System.nanoTime() - started);
            failures.increment();
            logFailure(skus.size(), e);
            throw e;
        }
        store.recordLoad(true, System.nanoTime() - started);
        Map<String, Entry> stored = new HashMap<>();
        for (String sku : skus) {
            Entry fresh = Entry.of(sku, List.copyOf(loaded.getOrDefault(sku, List.of())), asOf, loadedNanos,
                    loadedNanos + refreshDelayNanos(), new AtomicBoolean());
            stored.put(sku, store.store(fresh));
        }
        return stored;
    }

    /** The refresh interval spread uniformly by ±jitter. */
    private long refreshDelayNanos() {
        long interval = settings.refreshInterval().toNanos();
        if (settings.jitter() <= 0) {
            return interval;
        }
        double spread = (ThreadLocalRandom.current().nextDouble() * 2 - 1) * settings.jitter();
        return (long) (interval * (1 + spread));
    }

    /** Logs a failed load at most once a second: during an outage every stale read retries (cheaply). */
    private void logFailure(int skus, Exception e) {
        long now = System.nanoTime();
        long last = lastFailureLogged.get();
        if (now - last > 1_000_000_000L && lastFailureLogged.compareAndSet(last, now)) {
            LOG.warnf("Availability load of %d SKUs failed (stale entries are served within the bound): %s", skus, e);
        }
    }
}
