package dev.stockroom.load.chaos;

import dev.stockroom.load.env.Deadline;
import dev.stockroom.load.env.Stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Runs faults on a schedule while the load runs, one at a time, and measures how the service recovers from each by
 * itself: readiness UP again, and a one-second window serving at least a share of what was served before the fault.
 *
 * <p>Faults never overlap: they run on one thread, and each waits for the recovery of the previous one (up to the
 * recovery deadline) before it starts, even if that makes it later than scheduled.
 */
public final class Chaos implements AutoCloseable {

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-sampler");
        t.setDaemon(true);
        return t;
    });
    private final ScheduledExecutorService prober = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "chaos-readiness");
        t.setDaemon(true);
        return t;
    });
    /** Readiness, by the nanoTime it was probed at (probes can take up to their timeout, so on a thread of their own). */
    private final ConcurrentSkipListMap<Long, Boolean> readiness = new ConcurrentSkipListMap<>();
    /** Requests served so far, by the nanoTime they were sampled at. */
    private final ConcurrentSkipListMap<Long, Long> served = new ConcurrentSkipListMap<>();
    private final List<Recovery> recoveries = new CopyOnWriteArrayList<>();
    /** From each fault's injection to its recovery (or the deadline) plus the settle time, in epoch milliseconds. */
    private final List<long[]> windows = new CopyOnWriteArrayList<>();
    private final List<Fault> faults;
    private final BooleanSupplier ready;
    private final ChaosConfig config;
    private final long startNanos = System.nanoTime();
    private volatile Fault active;

    public Chaos(List<Fault> faults, LongSupplier servedSoFar, BooleanSupplier ready, ChaosConfig config) {
        this.faults = List.copyOf(faults);
        this.ready = ready;
        this.config = config;
        sampler.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            served.put(now, servedSoFar.getAsLong());
            served.headMap(now - Duration.ofMinutes(2).toNanos()).clear();
        }, 0, 100, TimeUnit.MILLISECONDS);
        prober.scheduleWithFixedDelay(() -> {
            long now = System.nanoTime();
            readiness.put(now, ready.getAsBoolean());
            readiness.headMap(now - Duration.ofMinutes(5).toNanos()).clear();
        }, 0, 250, TimeUnit.MILLISECONDS);
    }

    /** Schedules every fault relative to now. */
    public Chaos start() {
        for (Fault fault : faults) {
            scheduler.schedule(() -> run(fault), fault.at().toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    public List<Recovery> recoveries() {
        return List.copyOf(recoveries);
    }

    /**
     * When the service was under a fault, recovering from it, or settling after it: {@code [start, end]} in epoch
     * ms, from the injection to the recovery plus the settle time.
     */
    public List<long[]> windows() {
        return List.copyOf(windows);
    }

    public List<Fault> faults() {
        return faults;
    }

    private void run(Fault fault) {
        try {
            long injected = System.nanoTime();
            long injectedEpochMs = System.currentTimeMillis();
            double baseline = rate(injected - config.baselineWindow().toNanos(), injected);
            Stack.log("chaos: %s (for %s)", fault.name(), fault.lasts());
            active = fault;
            fault.inject().run();
            // The fault lasts its stated time on purpose; nothing is awaited here.
            Deadline.within(fault.lasts()).poll(Duration.ofMillis(100), () -> false);
            long healing = System.nanoTime();
            fault.heal().run();
            active = null;
            // Both are watched in the same loop, so that one's time does not wait for the other's.
            long[] readyAt = {-1};
            long[] backAt = {-1};
            Deadline.within(config.recoveryDeadline()).poll(Duration.ofMillis(100), () -> {
                long now = System.nanoTime();
                if (readyAt[0] < 0 && ready.getAsBoolean()) {
                    readyAt[0] = now;
                }
                if (backAt[0] < 0 && now - healing >= Duration.ofSeconds(1).toNanos()
                        && rate(now - Duration.ofSeconds(1).toNanos(), now) >= config.recoveryRatio() * baseline) {
                    backAt[0] = now;
                }
                return readyAt[0] >= 0 && backAt[0] >= 0;
            });
            windows.add(new long[] {injectedEpochMs, System.currentTimeMillis() + config.settle().toMillis()});
            long notReadyMs = notReadyMillis(injected, System.nanoTime());
            double during = healing - injected >= Duration.ofSeconds(1).toNanos() ? rate(injected, healing)
                    : rate(healing, healing + Duration.ofSeconds(1).toNanos());
            Recovery recovery = new Recovery(fault.name(), (injected - startNanos) / 1_000_000,
                    (healing - injected) / 1_000_000, readyAt[0] < 0 ? -1 : (readyAt[0] - healing) / 1_000_000,
                    backAt[0] < 0 ? -1 : (backAt[0] - healing) / 1_000_000, notReadyMs, baseline, during);
            recoveries.add(recovery);
            Stack.log("chaos: %s", recovery.line());
        } catch (RuntimeException e) {
            Stack.log("chaos: %s failed to run: %s", fault.name(), e);
            recoveries.add(new Recovery(fault.name() + " (failed: " + e.getMessage() + ")", -1, 0, -1, -1, 0, 0, 0));
        }
    }

    /** How long readiness probes answered anything but UP between two instants (each probe stands for its interval). */
    private long notReadyMillis(long from, long to) {
        long down = 0;
        Long previous = null;
        for (Map.Entry<Long, Boolean> probe : readiness.subMap(from, to).entrySet()) {
            if (previous != null && !probe.getValue()) {
                down += probe.getKey() - previous;
            }
            previous = probe.getKey();
        }
        return down / 1_000_000;
    }

    /** Requests served per second between two instants, from the samples nearest before each. */
    private double rate(long from, long to) {
        Map.Entry<Long, Long> start = served.floorEntry(from);
        Map.Entry<Long, Long> end = served.floorEntry(to);
        if (start == null) {
            start = served.firstEntry();
        }
        if (start == null || end == null || end.getKey() <= start.getKey()) {
            return 0;
        }
        return (end.getValue() - start.getValue()) * 1e9 / (end.getKey() - start.getKey());
    }

    /** Waits (bounded) for the faults still scheduled, heals one that is active, and stops. */
    public void finish(Duration atMost) {
        Deadline.within(atMost).poll(Duration.ofMillis(200), () -> recoveries.size() >= faults.size());
        close();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        sampler.shutdownNow();
        prober.shutdownNow();
        Fault stuck = active;
        if (stuck != null) {
            Stack.log("chaos: healing %s at the end of the run", stuck.name());
            stuck.heal().run();
        }
    }

    /** Lines for the run's record. */
    public List<String> report() {
        List<String> lines = new ArrayList<>();
        recoveries.forEach(r -> lines.add(r.line()));
        if (recoveries.size() < faults.size()) {
            lines.add((faults.size() - recoveries.size()) + " scheduled fault(s) did not run before the load ended");
        }
        return lines;
    }
}
