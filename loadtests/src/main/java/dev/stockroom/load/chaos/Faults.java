package dev.stockroom.load.chaos;

import dev.stockroom.load.env.Stack;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * The faults a flash sale must survive, in the order they are run, spaced {@code chaos.spacing-seconds} apart:
 * <ol>
 *   <li>latency added on the database link ({@code chaos.latency-ms} each way, for {@code chaos.latency-seconds});</li>
 *   <li>the database link frozen: sockets open, no byte moves ({@code chaos.freeze-seconds});</li>
 *   <li>every database connection cut at once (new ones are accepted at once);</li>
 *   <li>the Kafka broker stopped, then started again ({@code chaos.broker-seconds});</li>
 *   <li>the whole availability cache invalidated through the admin endpoint;</li>
 *   <li>the service killed with SIGKILL and started again, as a supervisor replaces a crashed pod.</li>
 * </ol>
 */
public final class Faults {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Faults() {
    }

    public static List<Fault> flashSale(Stack stack) {
        Duration spacing = seconds("chaos.spacing-seconds", 15);
        Duration latency = Duration.ofMillis(Long.getLong("chaos.latency-ms", 50));
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
                new Fault("whole cache invalidated", spacing.multipliedBy(4), Duration.ZERO,
                        () -> invalidateCache(stack), () -> { }),
                new Fault("service killed (SIGKILL)", spacing.multipliedBy(5), Duration.ZERO,
                        stack.service()::kill, stack.service()::start));
    }

    /** {@code POST /v1/admin/availability/invalidate} as an operator would. */
    public static void invalidateCache(Stack stack) {
        try {
            int status = HTTP.send(HttpRequest.newBuilder(stack.api().resolve("/v1/admin/availability/invalidate"))
                            .timeout(Duration.ofSeconds(10))
                            .header("Authorization", "Bearer " + stack.tokens().token("admin", Duration.ofMinutes(5)))
                            .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            if (status != 204) {
                throw new IllegalStateException("cache invalidation answered " + status);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cache invalidation failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Duration seconds(String property, long defaultSeconds) {
        return Duration.ofSeconds(Long.getLong(property, defaultSeconds));
    }
}
