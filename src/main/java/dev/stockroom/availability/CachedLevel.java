package dev.stockroom.availability;

import dev.stockroom.stock.StockLevel;

/** One stock level in a cache entry, with what the view needs of its location. */
record CachedLevel(StockLevel level, int priority, boolean active) {

    CachedLevel with(StockLevel newer) {
        return new CachedLevel(newer, priority, active);
    }
}
