package dev.stockroom.support;

import com.github.benmanes.caffeine.cache.Ticker;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The availability cache's ticker in tests: it stands still unless a test moves it, so that cache time depends on
 * what a test does and never on how fast a busy machine runs it. Being a bean of type {@link Ticker}, it replaces
 * the system ticker.
 */
@Singleton
public class TestTicker implements Ticker {

    private final AtomicLong now = new AtomicLong(System.nanoTime());

    public void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    @Override
    public long read() {
        return now.get();
    }
}
