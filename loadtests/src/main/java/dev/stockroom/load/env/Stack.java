package dev.stockroom.load.env;

import dev.stockroom.load.Catalogue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.util.HashMap;
import java.util.Map;

/**
 * Everything a load run needs, on loopback only: PostgreSQL capped at the production connection budget, a netcrusher
 * proxy on the service's database link, a Kafka broker, and the packaged service in the {@code prod} profile.
 *
 * <p>Ports and keys are chosen when the stack is made, before anything starts, so that a simulation can build its
 * HTTP protocol in its constructor and start the stack in {@code before()}. Whatever started is stopped by
 * {@link #close()}, and by a shutdown hook if the run dies first.
 */
public final class Stack implements AutoCloseable {

    public static final String DB_USER = "postgres";
    public static final String DB_PASSWORD = "postgres";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final StackConfig config;
    private final Tokens tokens = Tokens.generate();
    private final int apiPort = Ports.free();
    private final int managementPort = Ports.free();
    private final int linkPort = Ports.free();
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private Database database;
    private DatabaseLink link;
    private Broker broker;
    private Service service;

    public Stack(StackConfig config) {
        this.config = config;
    }

    public URI api() {
        return URI.create("http://127.0.0.1:" + apiPort);
    }

    /** The service's liveness probe: answers while its process runs (known before the stack starts). */
    public URI liveness() {
        return URI.create("http://127.0.0.1:" + managementPort + "/q/health/live");
    }

    public Tokens tokens() {
        return tokens;
    }

    public StackConfig config() {
        return config;
    }

    /** Starts the database, the link, the broker and the service, and waits until the service is ready. */
    public synchronized Stack start() {
        long began = System.nanoTime();
        startInfrastructure();
        service = remember(new Service(config, serviceEnvironment(), apiPort, managementPort));
        try {
            service.start();
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        log("stack ready in %d ms: service %s (pid %d), PostgreSQL :%d (max_connections %d) behind link :%d, Kafka %s",
                (System.nanoTime() - began) / 1_000_000, api(), service.pid(), database.port(), config.maxConnections(),
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
     * the stack's ports, with the stack's environment plus {@code extraEnvironment}, and waits until it is ready;
     * its log goes to {@code workDir/name}. The caller closes it before launching another.
     */
    public Service launch(Path appDir, String name, Map<String, String> extraEnvironment) {
        StackConfig own = new StackConfig(appDir, config.workDir().resolve(name), config.writePool(),
                config.readPool(), config.replicas(), config.reserve(), config.startTimeout(), config.appHeap());
        try {
            Files.createDirectories(own.workDir());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> environment = serviceEnvironment();
        environment.putAll(extraEnvironment);
        Service launched = new Service(own, environment, apiPort, managementPort);
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
        env.put("STOCKROOM_JWT_PUBLIC_KEY_LOCATION", key.toString());
        env.put("STOCKROOM_WRITE_POOL_SIZE", String.valueOf(config.writePool()));
        env.put("STOCKROOM_AVAILABILITY_READ_POOL_SIZE", String.valueOf(config.readPool()));
        // The service checks the same arithmetic against max_connections at start, and refuses to run over it.
        env.put("STOCKROOM_BUDGET_MAX_REPLICAS", String.valueOf(config.replicas()));
        env.put("STOCKROOM_BUDGET_RESERVE_CONNECTIONS", String.valueOf(config.reserve()));
        // Only SIGKILL and the end of the run stop it; a drain delay would just slow the teardown.
        env.put("STOCKROOM_SHUTDOWN_DELAY", "0s");
        return env;
    }

    private <T extends AutoCloseable> T remember(T resource) {
        started.push(resource);
        return resource;
    }

    public Service service() {
        return service;
    }

    public DatabaseLink link() {
        return link;
    }

    public Broker broker() {
        return broker;
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
        long began = System.nanoTime();
        for (int i = 0; i < Catalogue.WAREHOUSES.size(); i++) {
            int status = put("/v1/locations/" + Catalogue.WAREHOUSES.get(i), "{\"name\":\"" + Catalogue.WAREHOUSES.get(i)
                    + "\",\"kind\":\"WAREHOUSE\",\"priority\":" + (i + 1) + ",\"active\":true}");
            if (status / 100 != 2) {
                throw new IllegalStateException("Could not create location " + Catalogue.WAREHOUSES.get(i) + ": " + status);
            }
        }
        long events = 0;
        try (WarehouseEvents warehouse = new WarehouseEvents(broker.bootstrapServers())) {
            for (int i = 0; i < catalogue.skus(); i++) {
                warehouse.received("seed-" + i, Catalogue.sku(i), Catalogue.WAREHOUSES.get(0), Catalogue.catalogueStock(i));
                events++;
            }
            for (int h = 0; h < catalogue.hotSkus(); h++) {
                for (String location : Catalogue.WAREHOUSES) {
                    warehouse.received("seed-" + Catalogue.hot(h) + "-" + location, Catalogue.hot(h), location,
                            catalogue.hotStock());
                    events++;
                }
            }
        }
        long expected = events;
        if (!Deadline.within(Duration.ofMinutes(3)).poll(Duration.ofMillis(250),
                () -> scalar("SELECT count(*) FROM applied_event WHERE event_id LIKE 'seed-%'") >= expected)) {
            throw new IllegalStateException("The service did not apply the " + expected + " seed events within 3 minutes");
        }
        log("seeded %d SKUs (%d hot) with %d warehouse events in %d ms", catalogue.skus() + catalogue.hotSkus(),
                catalogue.hotSkus(), events, (System.nanoTime() - began) / 1_000_000);
    }

    private int put(String path, String json) {
        try {
            return HTTP.send(HttpRequest.newBuilder(api().resolve(path)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + tokens.token("admin", Duration.ofMinutes(5)))
                    .header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
