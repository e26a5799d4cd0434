package dev.stockroom.load.env;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the environment is sized and bounded. Every item is a system property ({@code -Dstack.write-pool=16}), so a run
 * can be shaped from the command line; the defaults are production's pool sizes.
 *
 * @param appDir         the packaged service ({@code target/quarkus-app} of the service build)
 * @param workDir        where logs, keys and the run's records go
 * @param writePool      write pool per replica ({@code STOCKROOM_WRITE_POOL_SIZE}, production: 16)
 * @param readPool       read pool per replica ({@code STOCKROOM_AVAILABILITY_READ_POOL_SIZE}, production: 4)
 * @param reportPool     report pool per replica ({@code STOCKROOM_HISTORY_POOL_SIZE}, production: 2)
 * @param replicas       replicas of the service the harness runs, and the database is budgeted for
 *                       ({@code stack.replicas}; the default is the simulation's)
 * @param reserve        connections kept free for operators and the audit ({@code stockroom.budget.reserve-connections})
 * @param startTimeout   longest wait for a replica to become ready after a (re)start
 * @param appHeap        each replica's heap ({@code -Xmx})
 * @param flagsFile      the flag file each replica reads ({@code stack.flags-file}; every flag on by default)
 * @param probeInterval  how often each replica's readiness is probed to decide whether it receives traffic
 *                       ({@code stack.probe-ms})
 */
public record StackConfig(Path appDir, Path workDir, int writePool, int readPool, int reportPool, int replicas,
                          int reserve, Duration startTimeout, String appHeap, Path flagsFile,
                          Duration probeInterval) {

    /** The database's {@code max_connections}: exactly the budget of every replica at full pools, never more. */
    public int maxConnections() {
        return (writePool + readPool + reportPool) * replicas + reserve;
    }

    /** The budget's arithmetic, as the record of a run shows it. */
    public String budget() {
        return "(%d + %d + %d) × %d replica%s + %d reserve = %d".formatted(writePool, readPool, reportPool, replicas,
                replicas == 1 ? "" : "s", reserve, maxConnections());
    }

    public static StackConfig fromSystemProperties(int defaultReplicas) {
        StackConfig config = new StackConfig(
                Path.of(System.getProperty("stack.app-dir", "../target/quarkus-app")).toAbsolutePath().normalize(),
                Path.of(System.getProperty("stack.work-dir", "target/stack")).toAbsolutePath().normalize(),
                Integer.getInteger("stack.write-pool", 16),
                Integer.getInteger("stack.read-pool", 4),
                Integer.getInteger("stack.report-pool", 2),
                Integer.getInteger("stack.replicas", defaultReplicas),
                Integer.getInteger("stack.reserve", 10),
                Duration.ofSeconds(Long.getLong("stack.start-timeout-seconds", 180)),
                System.getProperty("stack.app-heap", "512m"),
                Path.of(System.getProperty("stack.flags-file", "../config/flags/all-on.json")).toAbsolutePath().normalize(),
                Duration.ofMillis(Long.getLong("stack.probe-ms", 250)));
        if (config.replicas() < 1) {
            throw new IllegalArgumentException("stack.replicas must be at least 1");
        }
        return config;
    }
}
