package dev.stockroom.load.chaos;

import dev.stockroom.load.env.Service;
import dev.stockroom.load.env.Stack;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The faults a flash sale must survive, in the order they are run, spaced {@code chaos.spacing-seconds} apart. The
 * database link and the broker are shared by every replica, so their faults meet all of them at once; the cache is
 * each replica's own, and an operator drops it on every one; a crash takes one replica while the others serve.
 * <ol>
 *   <li>latency added on the database link ({@code chaos.latency-ms} each way, for {@code chaos.latency-seconds});</li>
 *   <li>the database link frozen: sockets open, no byte moves ({@code chaos.freeze-seconds});</li>
 *   <li>every database connection cut at once (new ones are accepted at once);</li>
 *   <li>the Kafka broker stopped, then started again ({@code chaos.broker-seconds});</li>
 *   <li>the whole availability cache invalidated through the admin endpoint of every replica at once;</li>
 *   <li>one replica ({@code chaos.kill-replica}, default the first) killed with SIGKILL and started again, as a
 *       supervisor replaces a crashed pod, while the others keep serving.</li>
 * </ol>
 */
public final class Faults {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Faults() {
    }

    /** Faults in {@link #flashSale}. */
    public static final int COUNT = 6;

    /**
     * How long the load must go on once the first fault is due: until the last is due, and then
     * {@code chaos.tail-seconds} for it to be healed and recovered from while the load still runs.
     */
    public static Duration stretch() {
        return spacing().multipliedBy(COUNT - 1).plus(seconds("chaos.tail-seconds", 60));
    }

    public static List<Fault> flashSale(Stack stack) {
        Duration spacing = spacing();
        Duration latency = Duration.ofMillis(Long.getLong("chaos.latency-ms", 50));
        Service victim = stack.services().get(Integer.getInteger("chaos.kill-replica", 1) - 1);
        String of = stack.services().size() == 1 ? "" : " of " + stack.services().size();
        return List.of(
                new Fault("database latency +" + latency.toMillis() + " ms", spacing.multipliedBy(0),
                        seconds("chaos.latency-seconds", 8),
                        () -> stack.link().latency(latency), () -> stack.link().latency(Duration.ZERO)),
                new Fault("database link frozen", spacing.multipliedBy(1), seconds("chaos.freeze-seconds", 5),
                        stack.link()::freeze, stack.link()::unfreeze),
                new Fault("database connections cut", spacing.multipliedBy(2), Duration.ZERO,
                        stack.link()::cut, () -> { }),
                new Fault("Kafka broker stopped", spacing.multipliedBy(3), seconds("chaos.broker-seconds", 10),
                        stack.broker()::stopBroker, stack.broker()::startBroker),
                new Fault("whole cache invalidated" + (of.isEmpty() ? "" : " on every replica"), spacing.multipliedBy(4),
                        Duration.ZERO, () -> invalidateCache(stack), () -> { }),
                new Fault(victim.name() + of + " killed (SIGKILL)", spacing.multipliedBy(5), Duration.ZERO,
                        victim::kill, victim::start));
    }

    /**
     * {@code POST /v1/admin/availability/invalidate} on every replica at once, as an operator would: each replica's
     * cache is its own, and every entry of every one comes due together.
     */
    public static void invalidateCache(Stack stack) {
        List<Service> replicas = stack.services();
        List<CompletableFuture<Void>> calls = replicas.stream()
                .map(s -> CompletableFuture.runAsync(() -> invalidateCache(stack, s))).toList();
        calls.forEach(CompletableFuture::join);
    }

    private static void invalidateCache(Stack stack, Service replica) {
        try {
            int status = HTTP.send(HttpRequest.newBuilder(replica.api().resolve("/v1/admin/availability/invalidate"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + stack.tokens().token("admin", Duration.ofMinutes(5)))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status != 204) {
                throw new IllegalStateException("cache invalidation on " + replica.name() + " answered " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cache invalidation failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration spacing() {
        return seconds("chaos.spacing-seconds", 15);
    }

    private static Duration seconds(String property, long defaultSeconds) {
        return Duration.ofSeconds(Long.getLong(property, defaultSeconds));
    }
}
