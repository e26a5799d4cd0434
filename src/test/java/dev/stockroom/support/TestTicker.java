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
    private volatile boolean realTime;

    public void advance(Duration by) {
        now.addAndGet(by.toNanos());
    }

    /** Benchmarks only: from now on the ticker runs with real time (plus whatever it was advanced by). */
    public void followRealTime(boolean follow) {
        if (follow && !realTime) {
            now.addAndGet(-System.nanoTime());
        } else if (!follow && realTime) {
            now.addAndGet(System.nanoTime());
        }
        realTime = follow;
    }

    @Override
    public long read() {
        return realTime ? System.nanoTime() + now.get() : now.get();
    }
}
