package dev.stockroom.platform;

import dev.stockroom.support.Tokens;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged application in the {@code prod} profile, as the container runs it: it refuses weak token settings (no
 * key or the development key, no issuer, no audience) and tokens for another audience, and on SIGTERM it turns readiness DOWN first and finishes a hold that is in flight.
 */
class ProductionStartIT {

    private static final String ISSUER = "https://idp.example/stockroom";
    private static final String AUDIENCE = "stockroom";
    /** Stands for the path of a copy of the development key, made in the test's own directory. */
    private static final String COPIED_DEV_KEY = "<copy of the development key>";
    private static final Path APP = Path.of(System.getProperty("quarkus.app.dir", "target/quarkus-app"));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(
            Duration.ofSeconds(5)).build();

    private static EmbeddedPostgres postgres;
    private static KafkaClusterTestKit kafka;
    private static KeyPair issuerKeys;

    @TempDir
    Path dir;

    private Process app;

    @BeforeAll
    static void startDatabase() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        // The production profile has no embedded broker: give the packaged application a real one to talk to.
        kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build())
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("warehouse.stock-events", 1, (short) 1),
                    new NewTopic("warehouse.stock-events.dlq", 1, (short) 1),
                    new NewTopic("inventory.stock-changes", 1, (short) 1))).all().get();
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        issuerKeys = generator.generateKeyPair();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        kafka.close();
        postgres.close();
    }

    @AfterEach
    void stopApp() throws InterruptedException {
        if (app != null && app.isAlive()) {
            app.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Each weak token configuration, as environment changes to a good one, and what the refusal says. */
    static Stream<Arguments> weakTokenSettings() {
        String devKey = Path.of("src/test/resources/dev-keys/stockroom-dev-public.pem").toAbsolutePath().toString();
        return Stream.of(
                Arguments.of("no key", env("STOCKROOM_JWT_PUBLIC_KEY_LOCATION", null),
                        "No JWT verification key is configured"),
                Arguments.of("the development key from the repository", env("STOCKROOM_JWT_PUBLIC_KEY_LOCATION",
                        devKey),
                        "development key"),
                Arguments.of("a copy of the development key where SmallRye looks first, beside a good key",
                        env("SMALLRYE_JWT_VERIFY_KEY_LOCATION", COPIED_DEV_KEY), "smallrye.jwt.verify.key.location"),
                Arguments.of("no issuer", env("STOCKROOM_JWT_ISSUER", null), "No JWT issuer is configured"),
                Arguments.of("no audience", env("STOCKROOM_JWT_AUDIENCE", null), "No JWT audience is configured"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("weakTokenSettings")
    void start_withWeakTokenSettings_refusesWithClearMessage(String name, Map<String, String> change, String message)
            throws Exception {
        // Given: a good configuration but for one setting
        Map<String, String> env = new HashMap<>(goodTokenSettings());
        env.putAll(change);
        if (change.containsValue(COPIED_DEV_KEY)) {
            Path copy = dir.resolve("mounted-secret.pem");
            Files.copy(Path.of("src/test/resources/dev-keys/stockroom-dev-public.pem"), copy);
            env.replaceAll((k, v) -> COPIED_DEV_KEY.equals(v) ? copy.toString() : v);
        }

        // When
        Path log = dir.resolve("app.log");
        app = launch(env, log, freePort(), freePort());

        // Then
        assertThat(app.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(app.exitValue()).isNotZero();
        assertThat(Files.readString(log)).contains(message);
    }

    @Test
    void token_forAnotherAudience_is401() throws Exception {
        // Given: the service runs with the identity provider's key, issuer and audience
        int port = freePort();
        int management = freePort();
        Path log = dir.resolve("app.log");
        app = launch(goodTokenSettings(), log, port, management);
        URI api = URI.create("http://localhost:" + port);
        await().atMost(Duration.ofMinutes(2)).until(() -> status(get(URI.create("http://localhost:" + management
                + "/q/health/ready"))) == 200);

        // When / Then: the same provider's admin token for another application, or for none, is refused
        assertThat(send(api, "GET", "/v1/locations", "", token("https://billing.example")).statusCode()).isEqualTo(401);
        assertThat(send(api, "GET", "/v1/locations", "", token(null)).statusCode()).isEqualTo(401);
        assertThat(send(api, "PUT", "/v1/locations/WH-A",
                "{\"name\":\"A\",\"kind\":\"STORE\",\"priority\":1,\"active\":true}",
                token("https://billing.example")).statusCode()).isEqualTo(401);
        assertThat(send(api, "GET", "/v1/locations", "", token(AUDIENCE)).statusCode()).isEqualTo(200);
    }

    @Test
    void shutdown_holdInFlight_readinessDownFirstThenHoldCompletes() throws Exception {
        // Given: the service runs with the identity provider's key, and a location with stock
        int port = freePort();
        int management = freePort();
        Path log = dir.resolve("app.log");
        app = launch(goodTokenSettings(), log, port, management);
        URI api = URI.create("http://localhost:" + port);
        URI ready = URI.create("http://localhost:" + management + "/q/health/ready");
        await().atMost(Duration.ofMinutes(2)).until(() -> status(get(ready)) == 200);
        assertThat(send(api, "PUT", "/v1/locations/WH-1",
                "{\"name\":\"W\",\"kind\":\"WAREHOUSE\",\"priority\":1,\"active\":true}")
                .statusCode()).isEqualTo(201);
        assertThat(send(api, "PUT", "/v1/stock/SKU-1/locations/WH-1", "{\"onHand\":5}").statusCode()).isEqualTo(201);

        // Given: a hold that is in flight, waiting for a row lock that the test holds
        try (Connection blocker = postgres.getPostgresDatabase().getConnection()) {
            blocker.setAutoCommit(false);
            try (Statement s = blocker.createStatement()) {
                s.execute("SELECT * FROM stock_level WHERE sku = 'SKU-1' FOR UPDATE");
            }
            CompletableFuture<HttpResponse<String>> hold = CompletableFuture.supplyAsync(() -> send(api, "POST",
                    "/v1/reservations",
                    "{\"orderRef\":\"o-1\",\"lines\":[{\"sku\":\"SKU-1\",\"quantity\":2,\"location\":\"WH-1\"}]}"));
            await().atMost(Duration.ofSeconds(30)).until(() -> waitingOnLock() == 1);

            // When: Kubernetes sends SIGTERM
            app.destroy();

            // Then: readiness goes DOWN while the hold is still waiting
            await().atMost(Duration.ofSeconds(30)).until(() -> status(get(ready)) == 503);
            assertThat(hold).isNotDone();

            // When: the shutdown delay has passed (connections are now closed after each answer, so clients move to
            // other replicas) and then the lock is released
            await().atMost(Duration.ofSeconds(30)).until(() -> closesConnection(get(URI.create(api
                    + "/v1/locations"))));
            assertThat(hold).isNotDone();
            blocker.commit();

            // Then: the in-flight hold completes, and the process exits by itself
            assertThat(hold.get(30, TimeUnit.SECONDS).statusCode()).as(Files.readString(log)).isEqualTo(201);
        }
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT reserved FROM stock_level WHERE sku = 'SKU-1'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(2);
        }
        // And: production logs are JSON, one object a line
        assertThat(Files.readAllLines(log).stream().filter(l -> !l.isBlank())).allMatch(l -> l.startsWith("{"));
    }

    @Test
    void restart_killedMidStream_nothingLostNothingAppliedTwice() throws Exception {
        // Given: the service runs, and 20,000 warehouse events (one unit each, over 20 SKUs) are on the topic
        Map<String, String> env = new HashMap<>(goodTokenSettings());
        env.putAll(Map.of("STOCKROOM_WAREHOUSE_BATCH_SIZE", "200", "STOCKROOM_SHUTDOWN_DELAY", "0s"));
        int port = freePort();
        int management = freePort();
        app = launch(env, dir.resolve("first.log"), port, management);
        URI api = URI.create("http://localhost:" + port);
        URI ready = URI.create("http://localhost:" + management + "/q/health/ready");
        await().atMost(Duration.ofMinutes(2)).until(() -> status(get(ready)) == 200);
        assertThat(send(api, "PUT", "/v1/locations/WH-R",
                "{\"name\":\"R\",\"kind\":\"WAREHOUSE\",\"priority\":1,\"active\":true}")
                .statusCode()).isEqualTo(201);
        int events = 20_000;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < events; i++) {
                String sku = "RESTART-" + (i % 20);
                RecordHeaders headers = new RecordHeaders();
                headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
                headers.add("ce_id", ("restart-" + i).getBytes(StandardCharsets.UTF_8));
                headers.add("ce_type", "stock.received".getBytes(StandardCharsets.UTF_8));
                headers.add("ce_source", "/wms/it".getBytes(StandardCharsets.UTF_8));
                producer.send(new ProducerRecord<>("warehouse.stock-events", null, sku,
                        ("{\"sku\":\"" + sku + "\",\"location\":\"WH-R\",\"quantity\":1}").getBytes(
                                StandardCharsets.UTF_8),
                        headers));
            }
        }

        // When: the service is killed (SIGKILL: no chance to commit offsets) part-way through the stream, then
        // started again; batches it applied but never acknowledged are delivered again
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(10)).until(() -> appliedEvents() > 0);
        app.destroyForcibly();
        assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
        long appliedBeforeRestart = appliedEvents();
        app = launch(env, dir.resolve("second.log"), port, management);

        // Then: every event is applied exactly once, across the two runs
        await().atMost(Duration.ofMinutes(3)).until(() -> appliedEvents() == events);
        assertThat(appliedBeforeRestart).as("stopped mid-stream").isBetween(1L, events - 1L);
        assertThat(scalar("SELECT coalesce(sum(on_hand), 0) FROM stock_level WHERE sku LIKE 'RESTART-%'")).isEqualTo(
                events);
        assertThat(scalar("SELECT count(*) FROM stock_movement WHERE sku LIKE 'RESTART-%'")).isEqualTo(events);
        assertThat(scalar("SELECT count(DISTINCT event_id) FROM stock_movement WHERE sku LIKE 'RESTART-%'")).isEqualTo(
                events);
    }

    private long appliedEvents() throws SQLException {
        return scalar("SELECT count(*) FROM event_decision WHERE event_id LIKE 'restart-%'");
    }

    private static long scalar(String sql) throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The identity provider's key (written to a file, as a mounted secret would be), issuer and audience. */
    private Map<String, String> goodTokenSettings() throws IOException {
        Path key = dir.resolve("issuer.pem");
        Files.writeString(key, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(issuerKeys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        return Map.of("STOCKROOM_JWT_PUBLIC_KEY_LOCATION", key.toString(), "STOCKROOM_JWT_ISSUER", ISSUER,
                "STOCKROOM_JWT_AUDIENCE", AUDIENCE);
    }

    private static Map<String, String> env(String name, String value) {
        Map<String, String> env = new HashMap<>();
        env.put(name, value);
        return env;
    }

    /** Starts the packaged application; a {@code null} value in {@code env} removes that variable. */
    private Process launch(Map<String, String> env, Path log, int port, int management) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(),
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + management,
                // long enough for the test to hold the row lock across the whole shutdown sequence
                "-Dquarkus.datasource.jdbc.additional-jdbc-properties.options=-c statement_timeout=60000 -c lock_timeout=60000",
                "-jar", APP.resolve("quarkus-run.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "STOCKROOM_DB_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "STOCKROOM_DB_USER", "postgres", "STOCKROOM_DB_PASSWORD", "postgres",
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "STOCKROOM_SHUTDOWN_DELAY", "2s", "STOCKROOM_SHUTDOWN_TIMEOUT", "30s"));
        env.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        return builder.start();
    }

    private long waitingOnLock() throws SQLException {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = 'stockroom-write'"
                     + " AND wait_event_type = 'Lock'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static HttpResponse<String> send(URI api, String method, String path, String json) {
        return send(api, method, path, json, token(AUDIENCE));
    }

    /** An admin token of the identity provider, for the given audience ({@code null}: no {@code aud} claim). */
    private static String token(String audience) {
        return Tokens.sign(issuerKeys.getPrivate(), ISSUER, audience, "it", "admin");
    }

    private static HttpResponse<String> send(URI api, String method, String path, String json, String token) {
        try {
            return HTTP.send(HttpRequest.newBuilder(api.resolve(path)).timeout(Duration.ofSeconds(90))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers
                            .ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static HttpResponse<String> get(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean closesConnection(HttpResponse<String> response) {
        return response != null && response.headers().firstValue("connection").filter("close"::equalsIgnoreCase)
                .isPresent();
    }

    /** The status code, or -1 when nothing answered (connection refused: the listener is closed). */
    private static int status(HttpResponse<String> response) {
        return response == null ? -1 : response.statusCode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
