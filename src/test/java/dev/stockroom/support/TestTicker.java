package dev.stockroom.support;

import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The availability cache's ticker in tests: real nanoseconds plus an offset that tests move forward instead of
 * sleeping. Being a bean of type {@link Ticker}, it replaces the system ticker.
 */
@Singleton
public class TestTicker implements Ticker {

    private final AtomicLong offset = new AtomicLong();

    public void advance(Duration by) {
        offset.addAndGet(by.toNanos());
    }

    @Override
    public long read() {
        return System.nanoTime() + offset.get();
    }
}
