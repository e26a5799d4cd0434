package dev.stockroom.availability;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.stock.StockLevel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The availability cache: a bounded Caffeine cache of one {@link Entry} per SKU, refreshed in the background.
 *
 * <p>Caffeine's own refresh-after-write has one interval for all entries, so entries loaded together would come due
 * together. Here each entry carries its own refresh time, the interval spread by ±jitter when it is loaded. A read
 * of an entry past that time serves it (stale) and queues one refresh for the SKU; a read of a SKU not cached
 * queues a load and waits for it up to the read deadline. Both go through one {@link BatchLoader}, so a storm of
 * refreshes becomes a few {@code WHERE sku = ANY(?)} queries, at most a configured number at once, on the read
 * pool. Caffeine expires an entry at the hard staleness bound, measured from its load: past it the SKU is a miss.
 *
 * <p>Writes on this replica reach the cache through {@link #apply}, which keeps the newer version per location.
 *
 * <p><b>Note:</b> nothing on the write path reads this cache; a hold is decided by the database alone.
 */
@ApplicationScoped
public class AvailabilityCache {

    /** What {@link #apply} did with a changed stock level. */
    public enum Applied {
        /** The cached level was older and was replaced. */
        APPLIED,
        /** The cached level was as new or newer; nothing changed. */
        IGNORED_OLDER,
        /** The SKU is not cached; the next read loads it. */
        NOT_CACHED,
        /** The SKU is cached without this location; the entry was dropped so that the next read loads it whole. */
        DROPPED
    }

    /** Threads that run loads in naive mode, as many as a worker pool would have. */
    private static final int NAIVE_THREADS = 200;
    private static final Logger LOG = Logger.getLogger(AvailabilityCache.class);

    private final Cache<String, Entry> cache;
    private final ConcurrentStatsCounter stats = new ConcurrentStatsCounter();
    private final AvailabilityConfig config;
    private final Ticker ticker;
    private final Clock clock;
    private final ReadPoolLoader readPool;
    private final WritePoolLoader writePool;
    private volatile Loading loading;
    private final Map<CacheStatus, Counter> reads = new EnumMap<>(CacheStatus.class);
    private final Counter loadFailures;
    private final AtomicLong lastFailureLogged = new AtomicLong(System.nanoTime() - 2_000_000_000L);

    AvailabilityCache(AvailabilityConfig config, Ticker ticker, Clock clock, ReadPoolLoader readPool,
                      WritePoolLoader writePool, MeterRegistry registry) {
        this.config = config;
        this.ticker = ticker;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.maxEntries())
                .ticker(ticker)
                .expireAfter(new StalenessBound(config.maxStaleness()))
                .recordStats(() -> stats)
                .build();
        CaffeineCacheMetrics.monitor(registry, cache, "availability");
        for (CacheStatus status : CacheStatus.values()) {
            reads.put(status, Counter.builder("stockroom.availability.reads").tag("status", status.tag())
                    .description("SKUs read from the availability cache, by how they were served").register(registry));
        }
        this.loadFailures = Counter.builder("stockroom.availability.load.failures")
                .description("Batched loads that failed (timeout, bulkhead, open circuit, database error)")
                .register(registry);
        this.readPool = readPool;
        this.writePool = writePool;
        this.loading = start(config.naive());
    }

    /** How loads run: the batcher, its threads, and whether refresh times are jittered. */
    private record Loading(BatchLoader<Entry> loader, ExecutorService executor, boolean jitter) {
    }

    private Loading start(boolean naive) {
        LevelSource source;
        int batchSize;
        int inFlight;
        if (naive) {
            // The incident: one query per SKU, no limit but the worker threads, on the write pool.
            source = writePool;
            batchSize = 1;
            inFlight = NAIVE_THREADS;
        } else {
            source = readPool;
            batchSize = config.batchSize();
            inFlight = config.maxBatchesInFlight();
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = new ThreadPoolExecutor(inFlight, inFlight, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "availability-load-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        return new Loading(new BatchLoader<>(batchSize, inFlight, executor, skus -> load(source, skus)), executor,
                !naive && config.jitter() > 0);
    }

    /**
     * Switches between naive and default loading and empties the cache. For the side-by-side benchmark, which
     * runs both modes in one process; the service itself takes the mode from configuration at start.
     */
    void switchMode(boolean naive) {
        Loading previous = loading;
        loading = start(naive);
        previous.executor().shutdown();
        cache.invalidateAll();
    }

    /**
     * Drops every entry: each SKU becomes a miss, loaded again by the batcher on its next read. Writes and remote
     * changes for SKUs no longer cached are simply not applied ({@link Applied#NOT_CACHED}), so nothing is lost.
     *
     * @return how many entries were cached just before
     */
    long invalidateAll() {
        long size = cache.estimatedSize();
        cache.invalidateAll();
        return size;
    }

    @PreDestroy
    void stop() {
        loading.executor().shutdownNow();
    }

    /** One SKU as served: its entry (empty levels when the SKU has no stock) and how it was served. */
    record Served(String sku, Entry entry, CacheStatus status) {
    }

    /**
     * Reads SKUs, in the order given. Cached entries are served at once (stale ones start a refresh); the others
     * are loaded in batches, waited for up to the read deadline.
     *
     * @throws ProblemException 503 with {@code Retry-After} when a needed load fails or takes too long
     */
    List<Served> read(List<String> skus) {
        long now = ticker.read();
        Served[] served = new Served[skus.size()];
        List<Integer> missing = null;
        List<CompletableFuture<Entry>> loads = null;
        for (int i = 0; i < served.length; i++) {
            String sku = skus.get(i);
            Entry entry = cache.getIfPresent(sku);
            if (entry == null) {
                if (loads == null) {
                    missing = new ArrayList<>();
                    loads = new ArrayList<>();
                }
                missing.add(i);
                loads.add(loading.loader().load(sku));
            } else if (now - entry.refreshDueNanos() >= 0) {
                refresh(entry);
                served[i] = new Served(sku, entry, CacheStatus.STALE);
            } else {
                served[i] = new Served(sku, entry, CacheStatus.HIT);
            }
        }
        if (loads != null) {
            await(loads);
            for (int j = 0; j < loads.size(); j++) {
                int i = missing.get(j);
                served[i] = new Served(skus.get(i), loads.get(j).join(), CacheStatus.MISS);
            }
        }
        for (Served s : served) {
            reads.get(s.status()).increment();
        }
        return Arrays.asList(served);
    }

    /** Loads SKUs into the cache without a deadline (warming a cache; tests and benchmarks); completes when done. */
    CompletableFuture<Void> load(List<String> skus) {
        return CompletableFuture.allOf(skus.stream().map(sku -> loading.loader().load(sku))
                .toArray(CompletableFuture[]::new));
    }

    /**
     * Applies a stock level that a committed write returned (or that a change event from another replica carried).
     * A level never replaces one with a higher or equal version, so events may arrive late or twice.
     */
    public Applied apply(StockLevel level) {
        AtomicReference<Applied> outcome = new AtomicReference<>(Applied.NOT_CACHED);
        cache.asMap().computeIfPresent(level.sku(), (sku, entry) -> {
            CachedLevel current = entry.at(level.location());
            if (current == null) {
                outcome.set(Applied.DROPPED);
                return null;
            }
            if (current.level().version() >= level.version()) {
                outcome.set(Applied.IGNORED_OLDER);
                return entry;
            }
            outcome.set(Applied.APPLIED);
            return entry.with(level);
        });
        return outcome.get();
    }

    /** When the cached entry of a SKU falls due for refresh, in ticker nanoseconds relative to its load. */
    Long refreshDelayNanos(String sku) {
        Entry entry = cache.getIfPresent(sku);
        return entry == null ? null : entry.refreshDueNanos() - entry.loadedNanos();
    }

    /** Number of SKUs cached (approximate while evictions are pending). */
    long size() {
        return cache.estimatedSize();
    }

    /** Cached entry of a SKU, if any, without counting a read. */
    Entry peek(String sku) {
        return cache.asMap().get(sku);
    }

    private void refresh(Entry stale) {
        if (stale.refreshing().compareAndSet(false, true)) {
            // A failed refresh clears the flag, so that a later read tries again (cheaply, while the circuit is open).
            loading.loader().load(stale.sku()).whenComplete((fresh, failure) -> {
                if (failure != null) {
                    stale.refreshing().set(false);
                }
            });
        }
    }

    private void await(Collection<CompletableFuture<Entry>> loads) {
        long seconds = Math.max(1, config.refreshInterval().toSeconds());
        try {
            CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new))
                    .get(config.readDeadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                    "Availability cannot be read right now; retry shortly", Map.of("retryAfterSeconds", seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "Interrupted",
                    Map.of("retryAfterSeconds", seconds));
        }
    }

    private Map<String, Entry> load(LevelSource source, List<String> skus) throws Exception {
        boolean jitter = loading == null || loading.jitter();
        Instant asOf = clock.instant();
        long loadedNanos = ticker.read();
        long started = System.nanoTime();
        Map<String, List<CachedLevel>> loaded;
        try {
            loaded = source.load(skus);
        } catch (Exception e) {
            stats.recordLoadFailure(System.nanoTime() - started);
            loadFailures.increment();
            logFailure(skus.size(), e);
            throw e;
        }
        stats.recordLoadSuccess(System.nanoTime() - started);
        Map<String, Entry> stored = new HashMap<>();
        for (String sku : skus) {
            Entry fresh = Entry.of(sku, List.copyOf(loaded.getOrDefault(sku, List.of())), asOf, loadedNanos,
                    loadedNanos + refreshDelay(jitter), new AtomicBoolean());
            stored.put(sku, cache.asMap().compute(sku, (key, previous) -> fresh.mergedInto(previous)));
        }
        return stored;
    }

    /** Logs a failed load at most once a second: during an outage every stale read retries (cheaply). */
    private void logFailure(int skus, Exception e) {
        long now = System.nanoTime();
        long last = lastFailureLogged.get();
        if (now - last > 1_000_000_000L && lastFailureLogged.compareAndSet(last, now)) {
            LOG.warnf("Availability load of %d SKUs failed (stale entries are served within the bound): %s", skus, e);
        }
    }

    /** The refresh interval spread uniformly by ±jitter, so that entries loaded together come due apart. */
    private long refreshDelay(boolean jitter) {
        long interval = config.refreshInterval().toNanos();
        if (!jitter) {
            return interval;
        }
        double spread = (ThreadLocalRandom.current().nextDouble() * 2 - 1) * config.jitter();
        return (long) (interval * (1 + spread));
    }
}
