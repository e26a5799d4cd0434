package dev.stockroom.load.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One replica of the packaged service ({@code quarkus-run.jar}) as a child process in the {@code prod} profile, with
 * production pool sizes and budget, listening on loopback only. It can be killed with SIGKILL and started again on
 * the same ports, as a crashed pod is replaced.
 */
public final class Service implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final StackConfig config;
    private final Map<String, String> environment;
    private final int port;
    private final int managementPort;
    private final AtomicInteger starts = new AtomicInteger();
    private volatile Process process;
    /** False from the moment the harness kills the process until it starts again: a load balancer sees it at once. */
    private volatile boolean running;

    Service(String name, StackConfig config, Map<String, String> environment, int port, int managementPort) {
        this.name = name;
        this.config = config;
        this.environment = environment;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** {@code replica-1}, {@code replica-2}, ...: names its logs and its lines in the run's record. */
    public String name() {
        return name;
    }

    public URI api() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public URI readiness() {
        return URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready");
    }

    public URI metrics() {
        return URI.create("http://127.0.0.1:" + managementPort + "/q/metrics");
    }

    public URI liveness() {
        return URI.create("http://127.0.0.1:" + managementPort + "/q/health/live");
    }

    /**
     * Starts the process (its output goes to {@code <name>-<start>.log} in the work directory) and waits until
     * ready.
     */
    public synchronized void start() {
        Path jar = config.appDir().resolve("quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the service first (./mvnw -DskipTests package)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + config.appHeap(),
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + managementPort,
                "-jar", jar.toString()));
        Path log = config.workDir().resolve(name + "-" + starts.incrementAndGet() + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        try {
            process = builder.start();
            running = true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!Deadline.within(config.startTimeout()).poll(Duration.ofMillis(200), () -> isReady() || !process.isAlive())
                || !process.isAlive()) {
            throw new IllegalStateException(name + (process.isAlive() ? " did not become ready within "
                    + config.startTimeout() : " exited (status " + process.exitValue() + ") before it was ready")
                    + "; see " + log);
        }
    }

    /** SIGKILL: no shutdown hook, no graceful drain, in-flight requests lose their answers. */
    public synchronized void kill() {
        Process current = process;
        running = false;
        current.destroyForcibly();
        try {
            current.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long pid() {
        return process.pid();
    }

    /** The process as it runs now (a new one after each restart), for its CPU time. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** Whether the process runs (started, and not killed since). */
    public boolean running() {
        return running;
    }

    /** Whether readiness answers UP right now. */
    public boolean isReady() {
        return status(readiness()) == 200;
    }

    /** The status of a GET, or -1 when nothing answered. */
    static int status(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public synchronized void close() {
        Process current = process;
        running = false;
        if (current != null && current.isAlive()) {
            current.destroy();
            try {
                if (!current.waitFor(30, TimeUnit.SECONDS)) {
                    current.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                current.destroyForcibly();
            }
        }
    }
}
