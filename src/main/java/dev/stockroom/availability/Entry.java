package dev.stockroom.availability;

import dev.stockroom.stock.StockLevel;
import dev.stockroom.stock.StockView;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * What the cache holds for one SKU: its stock levels in sourcing order (empty when it has none), when they were
 * read ({@code asOf}, wall clock; {@code loadedNanos}, cache ticker), when the entry falls due for refresh, and
 * whether a refresh is running.
 */
record Entry(String sku, List<CachedLevel> levels, AvailabilityView view, Instant asOf, long loadedNanos,
             long refreshDueNanos, AtomicBoolean refreshing) {

    /** The view is computed once per entry, not per read: reads outnumber changes by far. */
    static Entry of(String sku, List<CachedLevel> levels, Instant asOf, long loadedNanos, long refreshDueNanos,
                    AtomicBoolean refreshing) {
        Set<String> inactive = levels.stream().filter(l -> !l.active()).map(l -> l.level().location())
                .collect(Collectors.toSet());
        StockView stock = StockView.of(sku, levels.stream().map(CachedLevel::level).toList(), inactive);
        return new Entry(sku, levels, levels.isEmpty() ? null : AvailabilityView.of(stock, asOf), asOf, loadedNanos,
                refreshDueNanos, refreshing);
    }

    boolean known() {
        return !levels.isEmpty();
    }

    CachedLevel at(String location) {
        for (CachedLevel level : levels) {
            if (level.level().location().equals(location)) {
                return level;
            }
        }
        return null;
    }

    /** This entry with one level replaced by a newer version of it; the load times stay. */
    Entry with(StockLevel newer) {
        List<CachedLevel> replaced = new ArrayList<>(levels.size());
        for (CachedLevel level : levels) {
            replaced.add(level.level().location().equals(newer.location()) ? level.with(newer) : level);
        }
        return Entry.of(sku, List.copyOf(replaced), asOf, loadedNanos, refreshDueNanos, refreshing);
    }

    /**
     * A fresh load merged over this entry: per location the higher version wins, because a change applied from a
     * write may be newer than a load that was already running when it committed.
     */
    Entry mergedInto(Entry older) {
        if (older == null) {
            return this;
        }
        List<CachedLevel> merged = new ArrayList<>(levels.size());
        for (CachedLevel loaded : levels) {
            CachedLevel previous = older.at(loaded.level().location());
            merged.add(previous != null && previous.level().version() > loaded.level().version()
                    ? loaded.with(previous.level()) : loaded);
        }
        return Entry.of(sku, List.copyOf(merged), asOf, loadedNanos, refreshDueNanos, refreshing);
    }
}
