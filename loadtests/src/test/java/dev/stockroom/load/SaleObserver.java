package dev.stockroom.load;

import dev.stockroom.load.env.ConnectionWatch;
import dev.stockroom.load.env.Machine;
import dev.stockroom.load.env.Service;
import dev.stockroom.load.env.Stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches what the machine and the service went through while a window of the load ran (the fault-free sale): the
 * CPU each process got, the load average every few seconds, each replica's hold combiner (batches, queues, shedding)
 * from its metrics, and the database connections in use. This is the evidence that tells a slow service from a
 * starved machine.
 */
final class SaleObserver implements AutoCloseable {

    private final Stack stack;
    private final ConnectionWatch connections;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "sale-observer");
        t.setDaemon(true);
        return t;
    });
    /** The 1-minute load average, by epoch ms, every {@code observe.load-seconds}. */
    private final ConcurrentSkipListMap<Long, Double> load = new ConcurrentSkipListMap<>();
    private volatile Machine.Sample cpuFrom;
    private volatile Machine.Sample cpuTo;
    private volatile List<Map<String, Double>> metricsFrom = List.of();
    private volatile List<Map<String, Double>> metricsTo = List.of();

    /** Starts watching now; the window opens after {@code from} and closes after {@code to}. */
    SaleObserver(Stack stack, Duration from, Duration to) {
        this.stack = stack;
        this.connections = new ConnectionWatch(stack);
        long every = Long.getLong("observe.load-seconds", 5);
        scheduler.scheduleAtFixedRate(() -> load.put(System.currentTimeMillis(), Machine.loadAverage1m()), 0, every,
                TimeUnit.SECONDS);
        scheduler.schedule(() -> {
            cpuFrom = stack.cpu();
            metricsFrom = scrape();
        }, from.toMillis(), TimeUnit.MILLISECONDS);
        scheduler.schedule(() -> {
            cpuTo = stack.cpu();
            metricsTo = scrape();
        }, to.toMillis(), TimeUnit.MILLISECONDS);
    }

    private List<Map<String, Double>> scrape() {
        return stack.services().stream().map(s -> Metrics.series(s.metrics())).toList();
    }

    /** Lines for the run's record about the window: CPU, each replica's hold combiner, the database's connections. */
    List<String> report() {
        List<String> lines = new ArrayList<>();
        if (cpuFrom != null && cpuTo != null) {
            lines.addAll(cpuFrom.until(cpuTo));
        } else {
            lines.add("CPU: the window did not close before the load ended");
        }
        List<Service> replicas = stack.services();
        for (int i = 0; i < replicas.size() && i < metricsFrom.size() && i < metricsTo.size(); i++) {
            lines.add(replicas.get(i).name() + " hold combiner: " + (metricsFrom.get(i).isEmpty() || metricsTo.get(i).isEmpty()
                    ? "metrics unavailable" : Metrics.holds(metricsFrom.get(i), metricsTo.get(i))));
        }
        lines.add("database: " + connections.peaks());
        return lines;
    }

    /** The 1-minute load average over a span (epoch ms): lowest, mean, highest. */
    String loadAverage(long fromMs, long toMs) {
        Map<Long, Double> span = load.subMap(fromMs, true, toMs, true);
        return span.isEmpty() ? "no sample" : "%.1f lowest, %.1f mean, %.1f highest (%d samples)".formatted(
                span.values().stream().mapToDouble(Double::doubleValue).min().orElse(0),
                span.values().stream().mapToDouble(Double::doubleValue).average().orElse(0),
                span.values().stream().mapToDouble(Double::doubleValue).max().orElse(0), span.size());
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        connections.close();
    }
}
