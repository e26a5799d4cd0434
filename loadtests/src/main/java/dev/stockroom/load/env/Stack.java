package dev.stockroom.load.env;

import dev.stockroom.load.Catalogue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Everything a load run needs, on loopback only: PostgreSQL capped at the connection budget of the replicas under
 * test, a netcrusher proxy on the database link that every replica goes through, a Kafka broker, and
 * {@code stack.replicas} replicas of the packaged service in the {@code prod} profile, with {@link Endpoints} that
 * spread requests across them as a Kubernetes Service would.
 *
 * <p>Ports and keys are chosen when the stack is made, before anything starts, so that a simulation can build its
 * HTTP protocol in its constructor and start the stack in {@code before()}. Whatever started is stopped by
 * {@link #close()}, and by a shutdown hook if the run dies first.
 */
public final class Stack implements AutoCloseable {

    public static final String DB_USER = "postgres";
    public static final String DB_PASSWORD = "postgres";

    private final StackConfig config;
    private final Tokens tokens = Tokens.generate();
    /** API and management port of each replica, chosen now so that a restarted replica comes back on them. */
    private final List<int[]> ports;
    private final int linkPort = Ports.free();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final List<Service> services = new ArrayList<>();
    private Database database;
    private DatabaseLink link;
    private Broker broker;
    private Endpoints endpoints;

    public Stack(StackConfig config) {
        this.config = config;
        this.ports = IntStream.range(0, config.replicas()).mapToObj(i -> new int[] {Ports.free(), Ports.free()}).toList();
    }

    /** The first replica's API: for the harness's own calls, and as the protocol's base URL. */
    public URI api() {
        return URI.create("http://127.0.0.1:" + ports.get(0)[0]);
    }

    /** The first replica's liveness probe: answers while its process runs (known before the stack starts). */
    public URI liveness() {
        return URI.create("http://127.0.0.1:" + ports.get(0)[1] + "/q/health/live");
    }

    public Tokens tokens() {
        return tokens;
    }

    public StackConfig config() {
        return config;
    }

    /** Starts the database, the link, the broker and every replica, and waits until each replica is ready. */
    public synchronized Stack start() {
        long began = System.nanoTime();
        startInfrastructure();
        try {
            for (int i = 0; i < config.replicas(); i++) {
                services.add(remember(new Service("replica-" + (i + 1), config, serviceEnvironment(),
                        ports.get(i)[0], ports.get(i)[1])));
            }
            // One after the other: the first applies the migrations, and two cold JVMs at once only slow each other.
            services.forEach(Service::start);
            endpoints = remember(new Endpoints(services, config.probeInterval()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log("stack ready in %d ms: %s; PostgreSQL :%d (max_connections %s) behind link :%d, Kafka %s",
                (System.nanoTime() - began) / 1_000_000, services.stream().map(s -> "%s %s (pid %d)".formatted(s.name(),
                        s.api(), s.pid())).collect(Collectors.joining(", ")), database.port(), config.budget(),
                linkPort, broker.bootstrapServers());
        return this;
    }

    /**
     * Starts the database, the link and the broker, not the service: for a run that prepares the schema itself and
     * then starts builds of its choice with {@link #launch}.
     */
    public synchronized Stack startInfrastructure() {
        Runtime.getRuntime().addShutdownHook(new Thread(this::close, "stack-stop"));
        try {
            Files.createDirectories(config.workDir());
            // A fresh directory each run: a run killed before its clean-up must not stop the next one's initdb.
            database = remember(Database.start(config.maxConnections(),
                    Files.createTempDirectory(config.workDir(), "pgdata-")));
            link = remember(DatabaseLink.open(linkPort, database.port()));
            broker = remember(Broker.start(3));
            Files.writeString(publicKey(), tokens.publicKeyPem());
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        return this;
    }

    /**
     * Starts the packaged service found in {@code appDir} (any build, not only the one the stack was made for) on
     * the first replica's ports, with the stack's environment plus {@code extraEnvironment}, and waits until it is
     * ready; its log goes to {@code workDir/name}. The caller closes it before launching another.
     */
    public Service launch(Path appDir, String name, Map<String, String> extraEnvironment) {
        StackConfig own = new StackConfig(appDir, config.workDir().resolve(name), config.writePool(),
                config.readPool(), config.reportPool(), config.replicas(), config.reserve(), config.startTimeout(),
                config.appHeap(), config.flagsFile(), config.probeInterval());
        try {
            Files.createDirectories(own.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> environment = serviceEnvironment();
        environment.putAll(extraEnvironment);
        Service launched = new Service(name, own, environment, ports.get(0)[0], ports.get(0)[1]);
        try {
            launched.start();
        } catch (RuntimeException e) {
            launched.close();
            throw e;
        }
        return launched;
    }

    private Path publicKey() {
        return config.workDir().resolve("issuer-public.pem");
    }

    private Map<String, String> serviceEnvironment() {
        Path key = publicKey();
        Map<String, String> env = new HashMap<>();
        env.put("STOCKROOM_DB_URL", "jdbc:postgresql://127.0.0.1:" + linkPort + "/postgres");
        env.put("STOCKROOM_DB_USER", DB_USER);
        env.put("STOCKROOM_DB_PASSWORD", DB_PASSWORD);
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("STOCKROOM_JWT_ISSUER", Tokens.ISSUER);
        env.put("STOCKROOM_JWT_AUDIENCE", Tokens.AUDIENCE);
        env.put("STOCKROOM_JWT_PUBLIC_KEY_LOCATION", key.toString());
        env.put("STOCKROOM_WRITE_POOL_SIZE", String.valueOf(config.writePool()));
        env.put("STOCKROOM_AVAILABILITY_READ_POOL_SIZE", String.valueOf(config.readPool()));
        env.put("STOCKROOM_HISTORY_POOL_SIZE", String.valueOf(config.reportPool()));
        // The service checks the same arithmetic against max_connections at start, and refuses to run over it.
        env.put("STOCKROOM_BUDGET_MAX_REPLICAS", String.valueOf(config.replicas()));
        env.put("STOCKROOM_BUDGET_RESERVE_CONNECTIONS", String.valueOf(config.reserve()));
        // Only SIGKILL and the end of the run stop it; a drain delay would just slow the teardown.
        env.put("STOCKROOM_SHUTDOWN_DELAY", "0s");
        // The flags the run measures: by default every flag on, so that holds go to the combining engine.
        env.put("STOCKROOM_FLAGS_FILE", config.flagsFile().toString());
        return env;
    }

    private <T extends AutoCloseable> T remember(T resource) {
        started.push(resource);
        return resource;
    }

    /** Every replica, in order (replica-1 first). */
    public List<Service> services() {
        return List.copyOf(services);
    }

    /** Where each request goes: the next ready replica. */
    public Endpoints endpoints() {
        return endpoints;
    }

    public DatabaseLink link() {
        return link;
    }

    public Broker broker() {
        return broker;
    }

    /**
     * CPU used so far by the machine and by this run's processes: the load JVM (Gatling, the harness, the broker),
     * each replica, and PostgreSQL with its backends.
     */
    public Machine.Sample cpu() {
        Map<String, Long> processes = new LinkedHashMap<>();
        processes.put("load JVM", ProcessHandle.current().pid());
        services.forEach(s -> processes.put("%s (pid %d)".formatted(s.name(), s.pid()), s.pid()));
        return Machine.sample(processes, database.postmasterPid());
    }

    /** A JDBC URL that bypasses the fault proxy: the audit and the harness must see the database during chaos. */
    public String directJdbcUrl() {
        return database.directUrl();
    }

    public Connection directConnection() throws SQLException {
        return DriverManager.getConnection(directJdbcUrl(), DB_USER, DB_PASSWORD);
    }

    /** A single number from the database, read on a connection of the harness's own. */
    public long scalar(String sql) {
        try (Connection c = directConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /**
     * Stocks the catalogue the way warehouses do, with {@code stock.received} events, and waits until the service has
     * applied every one: the seed then has ledger rows and applied event ids like any other stock.
     */
    public void seed(Catalogue catalogue) {
        new Seed(this).stock(catalogue);
    }

    /** Stops what started, last first; safe to call twice (the shutdown hook calls it again). */
    @Override
    public synchronized void close() {
        while (!started.isEmpty()) {
            AutoCloseable resource = started.pop();
            try {
                resource.close();
            } catch (Exception e) {
                log("could not stop %s: %s", resource.getClass().getSimpleName(), e);
            }
        }
    }

    public static void log(String format, Object... args) {
        System.out.printf("[stack %tT] %s%n", System.currentTimeMillis(), format.formatted(args));
    }
}
