package dev.stockroom.availability;

import com.github.benmanes.caffeine.cache.Ticker;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.stock.StockLevel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The availability cache: one {@link Entry} per SKU in a bounded {@link EntryStore}, refreshed in the background.
 *
 * <p>Caffeine's own refresh-after-write has one interval for all entries, so entries loaded together would come due
 * together. Here each entry carries its own refresh time, spread by ±jitter when it is loaded. A read of an entry
 * past that time serves it (stale) and queues one refresh for the SKU; a read of a SKU not cached queues a load and
 * waits for it up to the read deadline. Both go through one {@link EntryLoader}, which turns a storm of refreshes
 * into a few {@code WHERE sku = ANY(?)} queries, at most a configured number at once, on the read pool. The store
 * expires an entry at the hard staleness bound, measured from its load: past it the SKU is a miss.
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

    /** One SKU as served: its entry (empty levels when the SKU has no stock) and how it was served. */
    record Served(String sku, Entry entry, CacheStatus status) {
    }

    private final EntryStore store;
    private final EntryLoader loader;
    private final AvailabilityConfig config;
    private final Ticker ticker;
    private final Map<CacheStatus, Counter> reads = new EnumMap<>(CacheStatus.class);

    AvailabilityCache(EntryStore store, EntryLoader loader, AvailabilityConfig config, Ticker ticker,
                      MeterRegistry registry) {
        this.store = store;
        this.loader = loader;
        this.config = config;
        this.ticker = ticker;
        for (CacheStatus status : CacheStatus.values()) {
            reads.put(status, Counter.builder("stockroom.availability.reads").tag("status", status.tag())
                    .description("SKUs read from the availability cache, by how they were served").register(registry));
        }
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
        List<Integer> missing = new ArrayList<>();
        List<CompletableFuture<Entry>> loads = new ArrayList<>();
        for (int i = 0; i < served.length; i++) {
            String sku = skus.get(i);
            Entry entry = store.get(sku);
            if (entry == null) {
                missing.add(i);
                loads.add(loader.load(sku));
            } else if (now - entry.refreshDueNanos() >= 0) {
                refresh(entry);
                served[i] = new Served(sku, entry, CacheStatus.STALE);
            } else {
                served[i] = new Served(sku, entry, CacheStatus.HIT);
            }
        }
        if (!loads.isEmpty()) {
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
        return CompletableFuture.allOf(skus.stream().map(loader::load).toArray(CompletableFuture[]::new));
    }

    /**
     * Applies a stock level that a committed write returned (or that a change event from another replica carried).
     * A level never replaces one with a higher or equal version, so events may arrive late or twice.
     */
    public Applied apply(StockLevel level) {
        AtomicReference<Applied> outcome = new AtomicReference<>(Applied.NOT_CACHED);
        store.update(level.sku(), entry -> {
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

    /**
     * Drops every entry: each SKU becomes a miss, loaded again by the batcher on its next read. Writes and remote
     * changes for SKUs no longer cached are simply not applied ({@link Applied#NOT_CACHED}), so nothing is lost.
     *
     * @return how many entries were cached just before
     */
    long invalidateAll() {
        return store.invalidateAll();
    }

    /** When the cached entry of a SKU falls due for refresh, in ticker nanoseconds relative to its load. */
    Long refreshDelayNanos(String sku) {
        Entry entry = store.peek(sku);
        return entry == null ? null : entry.refreshDueNanos() - entry.loadedNanos();
    }

    /** Cached entry of a SKU, if any, without counting a read. */
    Entry peek(String sku) {
        return store.peek(sku);
    }

    private void refresh(Entry stale) {
        if (stale.refreshing().compareAndSet(false, true)) {
            // A failed refresh clears the flag, so that a later read tries again (cheaply, while the circuit is open).
            loader.load(stale.sku()).whenComplete((fresh, failure) -> {
                if (failure != null) {
                    stale.refreshing().set(false);
                }
            });
        }
    }

    private void await(List<CompletableFuture<Entry>> loads) {
        Map<String, Object> retryAfter = Map.of("retryAfterSeconds", Math.max(1, config.refreshInterval().toSeconds()));
        try {
            CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new))
                    .get(config.readDeadline().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE,
                    "Availability cannot be read right now; retry shortly", retryAfter);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "Interrupted", retryAfter);
        }
    }
}
