package dev.stockroom.load.env;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the environment is sized and bounded. Every item is a system property ({@code -Dstack.write-pool=16}), so a run
 * can be shaped from the command line; the defaults are production's pool sizes on one replica.
 *
 * @param appDir         the packaged service ({@code target/quarkus-app} of the service build)
 * @param workDir        where logs, keys and the run's records go
 * @param writePool      write pool per replica ({@code STOCKROOM_WRITE_POOL_SIZE}, production: 16)
 * @param readPool       read pool per replica ({@code STOCKROOM_AVAILABILITY_READ_POOL_SIZE}, production: 4)
 * @param reportPool     report pool per replica ({@code STOCKROOM_HISTORY_POOL_SIZE}, production: 2)
 * @param replicas       replicas the database is budgeted for (this harness runs one of them)
 * @param reserve        connections kept free for operators and the audit ({@code stockroom.budget.reserve-connections})
 * @param startTimeout   longest wait for the service to become ready after a (re)start
 * @param appHeap        the service's heap ({@code -Xmx})
 */
public record StackConfig(Path appDir, Path workDir, int writePool, int readPool, int reportPool, int replicas,
                          int reserve, Duration startTimeout, String appHeap) {

    /** The database's {@code max_connections}: exactly the production budget, never more. */
    public int maxConnections() {
        return (writePool + readPool + reportPool) * replicas + reserve;
    }

    public static StackConfig fromSystemProperties() {
        return new StackConfig(
                Path.of(System.getProperty("stack.app-dir", "../target/quarkus-app")).toAbsolutePath().normalize(),
                Path.of(System.getProperty("stack.work-dir", "target/stack")).toAbsolutePath().normalize(),
                Integer.getInteger("stack.write-pool", 16),
                Integer.getInteger("stack.read-pool", 4),
                Integer.getInteger("stack.report-pool", 2),
                Integer.getInteger("stack.replicas", 1),
                Integer.getInteger("stack.reserve", 10),
                Duration.ofSeconds(Long.getLong("stack.start-timeout-seconds", 180)),
                System.getProperty("stack.app-heap", "512m"));
    }
}
