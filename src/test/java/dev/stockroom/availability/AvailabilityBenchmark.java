package dev.stockroom.availability;

import com.zaxxer.hikari.HikariDataSource;
import dev.stockroom.platform.embedded.DatabaseProxy;
import dev.stockroom.platform.security.Roles;
import dev.stockroom.support.Api;
import dev.stockroom.support.BenchFigures;
import dev.stockroom.support.Commands;
import dev.stockroom.support.Db;
import dev.stockroom.support.Http;
import dev.stockroom.support.TestTicker;
import dev.stockroom.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The refresh storm side by side: the same bursty read + hold load against naive mode ({@link LoadingModes}) and
 * the service's loader, in one run; then cached read throughput against the trivial {@code /v1/ping}. Prints
 * figures and ratios.
 *
 * <p>The database sits behind a proxy. Once the cache is warm, and until the bursts end, it holds every packet
 * {@code bench.storm.db-delay-micros} (20,000 µs) in each direction, so that a round trip takes about 40 ms, as with
 * a database slowing down under load: on loopback a query costs next to nothing, the two cores saturate long before
 * any pool does, and pool exhaustion cannot show. Both modes and the holds pay the same delay. At a 10 ms round trip
 * naive mode already takes every write connection and holds queue behind its loads, but each still gets one within
 * the pool's acquisition timeout; at 40 ms they do not. What to watch: in naive mode the refreshes keep every write
 * connection busy and threads queue for one, until storefront holds wait out the pool's acquisition timeout and fail
 * with 503 while there is stock; with the service's loader the refreshes stay on the read pool, and holds fail only
 * for stock (here: never).
 *
 * <p>Run with {@code ./mvnw -Pbench test -Dtest=AvailabilityBenchmark [-Dbench.storm.skus=20000]
 * [-Dbench.storm.readers=32] [-Dbench.storm.holders=8] [-Dbench.storm.bursts=4] [-Dbench.storm.burst-seconds=3]
 * [-Dbench.storm.db-delay-micros=20000] [-Dbench.read-seconds=5] [-Dbench.out=dir]}; with {@code bench.out} it also
 * leaves its figures and a time series per mode there (see {@code BenchFigures}). Traffic goes to loopback only,
 * for a fixed time. Uses {@code wrk} for the throughput part when it is installed, else a Java load loop.
 */
@QuarkusTest
@TestProfile(AvailabilityBenchmark.Storm.class)
class AvailabilityBenchmark {

    /** Naive mode at hand, and the database a network hop away (shedding, pools and the rest as in production). */
    public static class Storm extends LoadingModes.Enabled {

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(DatabaseProxy.class));
        }
    }

    private static final String STOREFRONT_TOKEN = Tokens.withRoles(Roles.STOREFRONT);
    private static final Http.Caller STOREFRONT = new Http.Caller(STOREFRONT_TOKEN);

    private static final int SKUS = Integer.getInteger("bench.storm.skus", 20_000);
    private static final int READERS = Integer.getInteger("bench.storm.readers", 32);
    private static final int SKUS_PER_READ = 20;
    private static final int HOLDERS = Integer.getInteger("bench.storm.holders", 8);
    private static final Duration BURST = Duration.ofSeconds(Integer.getInteger("bench.storm.burst-seconds", 3));
    private static final Duration PAUSE = Duration.ofSeconds(1);
    private static final int BURSTS = Integer.getInteger("bench.storm.bursts", 4);
    private static final int DB_DELAY_MICROS = Integer.getInteger("bench.storm.db-delay-micros", 20_000);
    /** How often the time series (for bench.sh's chart) takes a row; peaks are still sampled every 5 ms. */
    private static final long SERIES_MILLIS = Long.getLong("bench.storm.series-millis", 250);
    private static final int READ_SECONDS = Integer.getInteger("bench.read-seconds", 5);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @TestHTTPResource("/")
    URI base;

    @Inject
    AvailabilityCache cache;

    @Inject
    LoadingModes modes;

    @Inject
    TestTicker ticker;

    @Inject
    Db db;

    @Inject
    MeterRegistry registry;

    @Inject
    AgroalDataSource writePool;

    @Inject
    @ReadPool
    HikariDataSource readPool;

    /** What one mode did under the load. */
    record Figures(String mode, int peakWriteInUse, int peakWriteWaiting, int peakReadInUse,
                   double transactionsPerSecond, double loadQueriesPerSecond, double readsPerSecond, long reads,
                   long staleReads, long failedReads, int holds, long p50Micros, long p99Micros,
                   Map<Integer, Integer> holdFailures) {

        int failures() {
            return holdFailures.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /** Peaks of the pools over an interval, sampled every 5 ms. */
    private static final class Peaks {
        final AtomicInteger writeInUse = new AtomicInteger();
        final AtomicInteger writeWaiting = new AtomicInteger();
        final AtomicInteger readInUse = new AtomicInteger();

        void sample(int write, int waiting, int read) {
            writeInUse.accumulateAndGet(write, Math::max);
            writeWaiting.accumulateAndGet(waiting, Math::max);
            readInUse.accumulateAndGet(read, Math::max);
        }
    }

    @Test
    void storm_naiveVersusDefault_thenCachedReadThroughput() throws Exception {
        String location = Api.unique("BENCH");
        Api.location(location, 1);
        String prefix = Api.unique("B");
        db.rows("INSERT INTO stock_level (sku, location, on_hand, updated_at)"
                + " SELECT ? || '-' || g, ?, 1000000, now() FROM generate_series(1, ?) g RETURNING 1", prefix, location,
                SKUS);
        List<String> skus = IntStream.rangeClosed(1, SKUS).mapToObj(i -> prefix + "-" + i).toList();
        ticker.followRealTime(true);

        Figures naive = run(LoadingModes.Mode.NAIVE, skus);
        Figures standard = run(LoadingModes.Mode.DEFAULT, skus);

        System.out.printf(
                "%n=== AvailabilityBenchmark: %d SKUs, %d readers (bulk reads of %d SKUs) + %d holders, %d bursts"
                        + " of %ss every %ss, database %d µs away each way, %d cores%n",
                SKUS, READERS, SKUS_PER_READ, HOLDERS, BURSTS, BURST.toSeconds(), BURST.plus(PAUSE).toSeconds(),
                DB_DELAY_MICROS, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-8s %8s %8s %8s %8s %9s %8s %9s %8s %8s %7s %9s %9s  %s%n", "mode", "writeUse", "writeWait",
                "readUse", "dbTx/s", "loads/s", "reads/s", "reads", "stale", "read503", "holds", "p50(ms)", "p99(ms)",
                "non-stock hold failures");
        for (Figures f : List.of(naive, standard)) {
            System.out.printf("%-8s %8d %8d %8d %8.0f %9.0f %8.0f %9d %8d %8d %7d %9.1f %9.1f  %s%n", f.mode(),
                    f.peakWriteInUse(), f.peakWriteWaiting(), f.peakReadInUse(), f.transactionsPerSecond(),
                    f.loadQueriesPerSecond(), f.readsPerSecond(), f.reads(), f.staleReads(), f.failedReads(), f.holds(),
                    f.p50Micros() / 1000.0, f.p99Micros() / 1000.0, f.holdFailures());
        }
        System.out.printf(
                "ratios naive/default: write connections in use %.2f, db tx/s %.2f, reads/s %.2f, hold p50 %.2f,"
                        + " hold p99 %.2f; holds failed other than for stock: naive %d, default %d%n",
                ratio(naive.peakWriteInUse(), standard.peakWriteInUse()),
                ratio(naive.transactionsPerSecond(), standard.transactionsPerSecond()),
                ratio(naive.readsPerSecond(), standard.readsPerSecond()),
                ratio(naive.p50Micros(), standard.p50Micros()), ratio(naive.p99Micros(), standard.p99Micros()),
                naive.failures(), standard.failures());

        record(naive, standard);
        recordFacts();

        // Cached read throughput against the trivial endpoint, with every read a hit (cache time stands still).
        ticker.followRealTime(false);
        String sku = skus.get(0);
        cache.read(List.of(sku));
        String ping = base.resolve("/v1/ping").toString();
        String read = base.resolve("/v1/stock/" + sku).toString();
        double pingRate = throughput(ping);
        double readRate = throughput(read);
        double pingRate2 = throughput(ping);
        double readRate2 = throughput(read);
        double pingBest = Math.max(pingRate, pingRate2);
        double readBest = Math.max(readRate, readRate2);
        String tool = wrk() ? "wrk -t2 -c32 -d" + READ_SECONDS + "s" : "Java loop, 32 threads, " + READ_SECONDS + " s";
        System.out.printf(
                "throughput (%s, 2 rounds): /v1/ping %.0f and %.0f req/s; /v1/stock/{sku} (hit) %.0f and %.0f req/s;"
                        + " ratio of best rounds %.2f%n", tool,
                pingRate, pingRate2, readRate, readRate2, readBest / pingBest);
        BenchFigures.figure("reads", "cached reads GET /v1/stock/{sku} (every read a hit), best of 2 wrk rounds",
                readBest, "req/s", "GET /v1/ping of the same build, best of 2 rounds", pingBest);
        assertThat(standard.reads()).isPositive();
        assertThat(naive.reads()).isPositive();
    }

    private Figures run(LoadingModes.Mode mode, List<String> skus) throws Exception {
        String name = mode.name().toLowerCase(Locale.ROOT);
        modes.use(mode);
        warm(skus); // every entry loaded at (nearly) the same instant: the storm's starting point
        DatabaseProxy.delay(Duration.ofNanos(DB_DELAY_MICROS * 1_000L));
        // Start the bursts as the cache falls due: at 5 s for all entries in naive mode, spread over 4–6 s otherwise.
        ticker.advance(Duration.ofSeconds(4));
        Peaks run = new Peaks();
        Peaks interval = new Peaks();
        LongAdder reads = new LongAdder();
        LongAdder stale = new LongAdder();
        LongAdder failedReads = new LongAdder();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> holdFailures = new ConcurrentHashMap<>();
        Queue<Long> intervalLatencies = new ConcurrentLinkedQueue<>();
        List<String> series = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(READERS + HOLDERS);
        // Paces the load: samples the pools every 5 ms and starts each burst on time, so no thread sleeps.
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        double loadsBefore = loadQueries();
        // Transactions are counted on a direct connection: the monitor pays no delay and takes no pool's connection.
        try (Connection monitor = DriverManager.getConnection(DatabaseProxy.directJdbcUrl(), "postgres", "postgres")) {
            long txBefore = transactions(monitor);
            long start = System.nanoTime();
            ScheduledFuture<?> sampler = clock.scheduleAtFixedRate(() -> {
                int write = (int) writePool.getMetrics().activeCount();
                int waiting = (int) writePool.getMetrics().awaitingCount();
                int read = readPool.getHikariPoolMXBean().getActiveConnections();
                run.sample(write, waiting, read);
                interval.sample(write, waiting, read);
            }, 0, 5, TimeUnit.MILLISECONDS);
            // One row of the time series per interval: what the pools, the cache loader and the holds did in it.
            double[] last = {0, loadQueries(), 0};
            ScheduledFuture<?> recorder = clock.scheduleAtFixedRate(() -> {
                double t = (System.nanoTime() - start) / 1e9;
                double dt = t - last[0];
                double loads = loadQueries();
                List<Long> latest = new ArrayList<>();
                for (Long micros; (micros = intervalLatencies.poll()) != null;) {
                    latest.add(micros);
                }
                Collections.sort(latest);
                series.add(String.format(Locale.ROOT, "%.2f,%d,%d,%d,%.0f,%.0f,%.0f,%.1f,%d", t,
                        interval.writeInUse.getAndSet(0), interval.writeWaiting.getAndSet(0),
                        interval.readInUse.getAndSet(0), (loads - last[1]) / dt, (reads.sum() - last[2]) / dt,
                        latest.size() / dt, percentile(latest, 0.99) / 1000.0,
                        holdFailures.values().stream().mapToInt(Integer::intValue).sum()));
                last[0] = t;
                last[1] = loads;
                last[2] = reads.sum();
            }, SERIES_MILLIS, SERIES_MILLIS, TimeUnit.MILLISECONDS);
            URI reservations = base.resolve("/v1/reservations");
            List<Future<?>> work = Collections.synchronizedList(new ArrayList<>());
            List<ScheduledFuture<?>> bursts = new ArrayList<>();
            for (int burst = 0; burst < BURSTS; burst++) {
                long offset = BURST.plus(PAUSE).multipliedBy(burst).toNanos();
                long burstEnd = start + offset + BURST.toNanos();
                bursts.add(clock.schedule(() -> {
                    for (int r = 0; r < READERS; r++) {
                        work.add(pool.submit(() -> {
                            while (System.nanoTime() < burstEnd) {
                                // A storefront page: one bulk read of 20 random SKUs.
                                StringBuilder query = new StringBuilder("/v1/stock?");
                                for (int i = 0; i < SKUS_PER_READ; i++) {
                                    query.append(i == 0 ? "" : "&").append("sku=")
                                            .append(skus.get(ThreadLocalRandom.current().nextInt(skus.size())));
                                }
                                HttpResponse<String> response = STOREFRONT.get(base.resolve(query.toString()));
                                reads.increment();
                                if (response.statusCode() != 200) {
                                    failedReads.increment();
                                } else if (response.headers().firstValue("Cache-Status").orElse("").contains("stale")) {
                                    stale.increment();
                                }
                            }
                            return null;
                        }));
                    }
                    for (int h = 0; h < HOLDERS; h++) {
                        work.add(pool.submit(() -> {
                            while (System.nanoTime() < burstEnd) {
                                String sku = skus.get(ThreadLocalRandom.current().nextInt(skus.size()));
                                long t0 = System.nanoTime();
                                int status = STOREFRONT.post(reservations,
                                        "{\"orderRef\":\"bench\",\"lines\":[{\"sku\":\""
                                                + sku + "\",\"quantity\":1}]}", null).statusCode();
                                long micros = (System.nanoTime() - t0) / 1_000;
                                latencies.add(micros);
                                intervalLatencies.add(micros);
                                if (status != 201 && status != 409) {
                                    holdFailures.merge(status, 1, Integer::sum);
                                }
                            }
                            return null;
                        }));
                    }
                }, offset, TimeUnit.NANOSECONDS));
            }
            for (ScheduledFuture<?> burst : bursts) {
                burst.get(120, TimeUnit.SECONDS);
            }
            for (Future<?> done : List.copyOf(work)) {
                done.get(120, TimeUnit.SECONDS);
            }
            sampler.cancel(false);
            recorder.cancel(false);
            BenchFigures.series("storm-" + name + ".csv", "seconds,write_pool_in_use,write_pool_waiting,"
                    + "read_pool_in_use,cache_load_queries_per_s,reads_per_s,holds_per_s,hold_p99_ms,"
                    + "non_stock_hold_failures", List.copyOf(series));
            double seconds = (System.nanoTime() - start) / 1e9;
            // The closing query is the monitor's own.
            long tx = transactions(monitor) - txBefore - 1;
            List<Long> sorted = new ArrayList<>(latencies);
            Collections.sort(sorted);
            return new Figures(name, run.writeInUse.get(), run.writeWaiting.get(), run.readInUse.get(), tx / seconds,
                    (loadQueries() - loadsBefore) / seconds, reads.sum() / seconds, reads.sum(), stale.sum(),
                    failedReads.sum(), sorted.size(), percentile(sorted, 0.50), percentile(sorted, 0.99),
                    new TreeMap<>(holdFailures));
        } finally {
            DatabaseProxy.delay(Duration.ZERO);
            clock.shutdownNow();
            pool.shutdownNow();
        }
    }

    /** The storm's figures for bench.sh: naive mode against the service's loader as its reference. */
    private static void record(Figures naive, Figures standard) {
        String reference = "default mode";
        BenchFigures.figure("storm", "refresh storm, naive mode: holds failed for a reason other than stock",
                naive.failures(), "holds", reference, standard.failures());
        BenchFigures.figure("storm", "refresh storm, naive mode: peak write-pool connections in use",
                naive.peakWriteInUse(), "connections", reference, standard.peakWriteInUse());
        BenchFigures.figure("storm", "refresh storm, naive mode: peak threads waiting for a write connection",
                naive.peakWriteWaiting(), "threads", reference, standard.peakWriteWaiting());
        BenchFigures.figure("storm", "refresh storm, naive mode: hold p99", naive.p99Micros() / 1000.0, "ms",
                reference, standard.p99Micros() / 1000.0);
        BenchFigures.figure("storm", "refresh storm, naive mode: cache load queries/s", naive.loadQueriesPerSecond(),
                "queries/s", reference, standard.loadQueriesPerSecond());
        BenchFigures.figure("storm", "refresh storm, naive mode: database transactions/s", naive
                .transactionsPerSecond(),
                "tx/s", reference, standard.transactionsPerSecond());
        BenchFigures.figure("storm", "refresh storm, naive mode: bulk reads/s (20 SKUs each)", naive.readsPerSecond(),
                "reads/s", reference, standard.readsPerSecond());
        BenchFigures.fact("storm load", String.format(Locale.ROOT, "%,d SKUs cached at once, then %d bursts of %d s"
                + " (1 s apart) as they fall due: %d threads of bulk reads (20 random SKUs) and %d threads of"
                + " one-unit holds, over HTTP with a storefront token; the database %d µs away each way",
                SKUS, BURSTS, BURST.toSeconds(), READERS, HOLDERS, DB_DELAY_MICROS));
        BenchFigures.fact("storm hold failures", "naive " + naive.holdFailures() + ", default " + standard
                .holdFailures());
    }

    /** The conditions the figures were measured under, for the summary. */
    private void recordFacts() {
        BenchFigures.database(db, "settings");
        BenchFigures.fact("pools", "write pool " + writePool.getConfiguration().connectionPoolConfiguration()
                .maxSize() + ", read pool " + readPool.getMaximumPoolSize() + ", naive mode's loader threads "
                + LoadingModes.NAIVE_THREADS);
    }

    /**
     * Loads every SKU; in naive mode one query each, which can outlast a read's deadline, so no deadline here, and
     * again for those whose load waited out the write pool's acquisition timeout.
     */
    private void warm(List<String> skus) throws Exception {
        for (int round = 0; round < 5; round++) {
            List<String> missing = skus.stream().filter(sku -> cache.peek(sku) == null).toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                cache.load(missing).get(120, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                System.out.printf("warming: %s; loading what is missing again%n", e.getCause());
            }
        }
        throw new IllegalStateException("the cache could not be warmed");
    }

    private static long transactions(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private double loadQueries() {
        return registry.find("stockroom.availability.load.queries").counters().stream()
                .mapToDouble(Counter::count).sum();
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private static double ratio(double a, double b) {
        return b == 0 ? Double.NaN : a / b;
    }

    private static boolean wrk() {
        return Commands.installed("wrk");
    }

    /** Requests per second over bench.read-seconds (5) after a 1 s warm-up, from wrk if installed, else from a Java loop. */
    private static double throughput(String url) throws Exception {
        // wrk counts any answer: make sure this one is a 200 before measuring it.
        int status = CLIENT.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + STOREFRONT_TOKEN).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status != 200) {
            throw new IllegalStateException(url + " answers " + status + ", not 200");
        }
        if (wrk()) {
            // Both endpoints are measured with the same storefront token, so that authentication costs the same.
            String auth = "Authorization: Bearer " + STOREFRONT_TOKEN;
            Commands.run("wrk", "-t2", "-c32", "-d1s", "-H", auth, url);
            Matcher m = Pattern.compile("Requests/sec:\\s+([0-9.]+)")
                    .matcher(Commands.run("wrk", "-t2", "-c32", "-d" + READ_SECONDS + "s", "-H", auth, url));
            return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        }
        javaLoop(url, Duration.ofSeconds(1));
        return javaLoop(url, Duration.ofSeconds(READ_SECONDS));
    }

    private static double javaLoop(String url, Duration duration) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(32);
        LongAdder done = new LongAdder();
        long end = System.nanoTime() + duration.toNanos();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + STOREFRONT_TOKEN).build();
        for (int i = 0; i < 32; i++) {
            pool.submit(() -> {
                while (System.nanoTime() < end) {
                    if (CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        done.increment();
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        pool.awaitTermination(duration.toSeconds() + 30, TimeUnit.SECONDS);
        return done.sum() / (double) duration.toSeconds();
    }
}
