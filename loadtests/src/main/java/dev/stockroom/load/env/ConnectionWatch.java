package dev.stockroom.load.env;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Counts the database's client connections once a second, by application name, on a connection of its own that
 * bypasses the proxy, and keeps the highest count of each: the budget the stack set is what the run really used.
 */
public final class ConnectionWatch implements AutoCloseable {

    private static final String COUNT = """
            SELECT coalesce(nullif(application_name, ''), '(none)'), count(*) FROM pg_stat_activity
            WHERE backend_type = 'client backend' GROUP BY 1
            """;

    private final Stack stack;
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "connection-watch");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Long> peaks = new TreeMap<>();
    private long peakTotal;
    private long failedSamples;
    private Connection connection;

    public ConnectionWatch(Stack stack) {
        this.stack = stack;
        sampler.scheduleWithFixedDelay(this::sample, 0, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = stack.directConnection();
            }
            long total = 0;
            try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(COUNT)) {
                synchronized (peaks) {
                    while (rs.next()) {
                        total += rs.getLong(2);
                        peaks.merge(rs.getString(1), rs.getLong(2), Math::max);
                    }
                    peakTotal = Math.max(peakTotal, total);
                }
            }
        } catch (SQLException e) {
            // A database that refuses the watch a connection is itself worth knowing: counted and reported.
            synchronized (peaks) {
                failedSamples++;
            }
            connection = null;
        }
    }

    /** The highest number of client connections seen at once, and by application name (including the watch). */
    public String peaks() {
        synchronized (peaks) {
            return ("at most %d client connections at once (max_connections %d); by application, each at its highest: %s;"
                    + " samples that found no connection: %d").formatted(peakTotal, stack.config().maxConnections(),
                    peaks, failedSamples);
        }
    }

    @Override
    public void close() {
        sampler.shutdownNow();
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException e) {
            // closing at the end of the run: nothing to do
        }
    }
}
