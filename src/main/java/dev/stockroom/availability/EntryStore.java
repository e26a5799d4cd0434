package dev.stockroom.availability;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import com.github.benmanes.caffeine.cache.stats.ConcurrentStatsCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import jakarta.inject.Singleton;

import java.util.function.UnaryOperator;

/**
 * The Caffeine map behind the availability cache: at most {@code max-entries} SKUs, each expired at the hard
 * staleness bound measured from its load ({@link StalenessBound}), its statistics published as
 * {@code cache_*{cache="availability"}}. What goes in and when it is refreshed is decided elsewhere.
 */
@Singleton
class EntryStore {

    private final Cache<String, Entry> cache;
    private final ConcurrentStatsCounter stats = new ConcurrentStatsCounter();

    EntryStore(AvailabilityConfig config, Ticker ticker, MeterRegistry registry) {
        this.cache = Caffeine.newBuilder()
                .maximumSize(config.maxEntries())
                .ticker(ticker)
                .expireAfter(new StalenessBound(config.maxStaleness()))
                .recordStats(() -> stats)
                .build();
        CaffeineCacheMetrics.monitor(registry, cache, "availability");
    }

    /** The entry of a SKU, or null; counted as a hit or a miss. */
    Entry get(String sku) {
        return cache.getIfPresent(sku);
    }

    /** The entry of a SKU, or null, without counting a read. */
    Entry peek(String sku) {
        return cache.asMap().get(sku);
    }

    /** Stores a fresh load over what is cached for its SKU (see {@link Entry#mergedInto}); returns what is stored. */
    Entry store(Entry fresh) {
        return cache.asMap().compute(fresh.sku(), (sku, previous) -> fresh.mergedInto(previous));
    }

    /** Replaces the entry of a SKU, if cached, by what {@code change} returns; null drops it. */
    void update(String sku, UnaryOperator<Entry> change) {
        cache.asMap().computeIfPresent(sku, (key, entry) -> change.apply(entry));
    }

    /** Counts a load in Caffeine's statistics (Micrometer's {@code cache_load_*} stay absent: see the README). */
    void recordLoad(boolean succeeded, long nanos) {
        if (succeeded) {
            stats.recordLoadSuccess(nanos);
        } else {
            stats.recordLoadFailure(nanos);
        }
    }

    /** Drops every entry; returns how many were cached just before. */
    long invalidateAll() {
        long size = cache.estimatedSize();
        cache.invalidateAll();
        return size;
    }
}
