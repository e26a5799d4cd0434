package dev.stockroom.load.env;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes: the harness never sleeps a fixed time to wait. */
public record Deadline(long endNanos) {

    public static Deadline within(Duration duration) {
        return new Deadline(System.nanoTime() + duration.toNanos());
    }

    /** Whether the condition held before the deadline. */
    public boolean poll(Duration interval, BooleanSupplier condition) {
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - endNanos >= 0) {
                return false;
            }
            LockSupport.parkNanos(interval.toNanos());
        }
    }
}
