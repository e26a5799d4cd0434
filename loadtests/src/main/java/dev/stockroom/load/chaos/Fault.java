package dev.stockroom.load.chaos;

import java.time.Duration;

/**
 * One fault: when it starts (from the start of the chaos), how long it lasts, what breaks and what heals it. A
 * fault with zero duration heals at once (a cut, a kill followed by the restart a supervisor would do).
 */
public record Fault(String name, Duration at, Duration lasts, Runnable inject, Runnable heal) {
}
