package dev.stockroom.platform;

import java.time.Duration;

/**
 * Exponential backoff for work that must never give up: the pause before the next attempt starts at {@code first},
 * doubles after each failure up to {@code max}, and starts over after a success ({@link #reset}).
 *
 * <p>Why not SmallRye Fault Tolerance's retry, which is on the class path: its users here retry without end (a
 * warehouse consumer that gave up would skip a batch, an outbox relay that gave up would stop publishing), and the
 * relay's pause must end early when a local commit or shutdown wakes it, which a retry's own sleep cannot. Each
 * caller keeps its loop, and waits as it must; the schedule of pauses is written once, here.
 *
 * <p><b>Note:</b> not thread-safe; one per loop.
 */
public final class Backoff {

    private final Duration first;
    private final Duration max;
    private Duration next;

    public Backoff(Duration first, Duration max) {
        this.first = first;
        this.max = max;
        this.next = first;
    }

    /** The pause before the next attempt, after a failure; the one after it is twice as long, up to the maximum. */
    public Duration next() {
        Duration pause = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return pause;
    }

    /** After a success: the next failure pauses for the first pause again. */
    public void reset() {
        next = first;
    }
}
