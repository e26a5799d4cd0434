package dev.stockroom.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged application ({@code target/quarkus-app}) in the {@code prod} profile, as the container runs it, with
 * what production gives it: an external PostgreSQL, a Kafka broker and an identity provider's key. Integration
 * tests start as many instances as they need against one database.
 */
public final class PackagedService implements AutoCloseable {

    public static final String ISSUER = "https://idp.example/stockroom";
    public static final String AUDIENCE = "stockroom";
    private static final Path APP = Path.of(System.getProperty("quarkus.app.dir", "target/quarkus-app"));
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private final EmbeddedPostgres postgres;
    private final KafkaClusterTestKit kafka;
    private final KeyPair issuerKeys;
    private final Path keyFile;
    private final List<Process> processes = new ArrayList<>();

    private PackagedService(EmbeddedPostgres postgres, KafkaClusterTestKit kafka, KeyPair issuerKeys, Path keyFile) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.issuerKeys = issuerKeys;
        this.keyFile = keyFile;
    }

    /** A database, a broker with the service's topics, and an identity provider's key pair; no instance yet. */
    public static PackagedService environment(Path dir) throws Exception {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        KafkaClusterTestKit kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                .setNumBrokerNodes(1).setNumControllerNodes(1).build())
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
        KeyPair keys = generator.generateKeyPair();
        Path keyFile = dir.resolve("issuer.pem");
        Files.writeString(keyFile, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        return new PackagedService(postgres, kafka, keys, keyFile);
    }

    /** One running instance: its API and management addresses. */
    public record Instance(Process process, URI api, URI management) {
        public boolean ready() {
            HttpResponse<String> ready = get(management.resolve("/q/health/ready"));
            return ready != null && ready.statusCode() == 200;
        }
    }

    /** Starts an instance trusting the identity provider's key, with extra environment, logging to {@code log}. */
    public Instance start(Map<String, String> env, Path log) throws IOException {
        int port = freePort();
        int management = freePort();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.port=" + port, "-Dquarkus.management.port=" + management,
                "-jar", APP.resolve("quarkus-run.jar").toString());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(Map.of(
                "STOCKROOM_DB_URL", postgres.getJdbcUrl("postgres", "postgres"),
                "STOCKROOM_DB_USER", "postgres", "STOCKROOM_DB_PASSWORD", "postgres",
                "KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "STOCKROOM_JWT_ISSUER", ISSUER, "STOCKROOM_JWT_AUDIENCE", AUDIENCE,
                "STOCKROOM_JWT_PUBLIC_KEY_LOCATION", keyFile.toString(),
                // Every flag on: the instances place holds with the combining engine.
                "STOCKROOM_FLAGS_FILE", Path.of("config/flags/all-on.json").toAbsolutePath().toString(),
                "STOCKROOM_SHUTDOWN_DELAY", "0s"));
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return new Instance(process, URI.create("http://localhost:" + port),
                URI.create("http://localhost:" + management));
    }

    /** A token of the identity provider with the given roles. */
    public String token(String... roles) {
        return Tokens.sign(issuerKeys.getPrivate(), ISSUER, AUDIENCE, "it", roles);
    }

    /** Sends a JSON request with a token of the given role. */
    public HttpResponse<String> send(URI uri, String method, String json, String role) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(90))
                    .header("Authorization", "Bearer " + token(role)).header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The database every instance uses. */
    public EmbeddedPostgres postgres() {
        return postgres;
    }

    @Override
    public void close() throws Exception {
        for (Process process : processes) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        kafka.close();
        postgres.close();
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

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
