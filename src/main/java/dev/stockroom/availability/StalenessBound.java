package dev.stockroom.availability;

import com.github.benmanes.caffeine.cache.Expiry;

import java.time.Duration;

/**
 * Expires a cache entry when it is older than the staleness bound, measured from its load rather than from its
 * last write: applying a change to an entry does not make the rest of it any fresher.
 */
final class StalenessBound implements Expiry<String, Entry> {

    private final long maxStaleNanos;

    StalenessBound(Duration maxStaleness) {
        this.maxStaleNanos = maxStaleness.toNanos();
    }

    @Override
    public long expireAfterCreate(String sku, Entry entry, long currentTime) {
        return Math.max(0, entry.loadedNanos() + maxStaleNanos - currentTime);
    }

    @Override
    public long expireAfterUpdate(String sku, Entry entry, long currentTime, long currentDuration) {
        return expireAfterCreate(sku, entry, currentTime);
    }

    @Override
    public long expireAfterRead(String sku, Entry entry, long currentTime, long currentDuration) {
        return currentDuration;
    }
}
