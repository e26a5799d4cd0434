package dev.stockroom.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Permits for write requests, as many as the write pool has connections.
 *
 * <p>Why not SmallRye's {@code @Bulkhead}: on a synchronous method it rejects at once when full, with no short wait
 * to absorb a burst, and its queueing variant needs asynchronous endpoints. A fair semaphore with a bounded
 * {@code tryAcquire} gives exactly "wait a little, then shed".
 */
@ApplicationScoped
public class WriteBulkhead {

    private final Semaphore permits;
    private final SheddingConfig config;
    private final Counter shed;

    WriteBulkhead(SheddingConfig config, MeterRegistry registry) {
        this.config = config;
        this.permits = new Semaphore(config.permits(), true);
        this.shed = Counter.builder("stockroom.write.shed")
                .description("Write requests answered 503 because the write bulkhead was full").register(registry);
        Gauge.builder("stockroom.write.bulkhead.in.use", this, WriteBulkhead::inUse)
                .description("Write requests holding a bulkhead permit").register(registry);
    }

    /**
     * Takes a permit, waiting at most the configured wait.
     *
     * @throws ProblemException 503 with {@code Retry-After} when none came free in time
     */
    public void enter() {
        try {
            if (permits.tryAcquire(config.maxWait().toNanos(), TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        shed.increment();
        throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "Too many writes in progress; retry shortly",
                Map.of("retryAfterSeconds", Math.max(1, config.retryAfter().toSeconds())));
    }

    public void leave() {
        permits.release();
    }

    /** Permits taken right now. */
    public int inUse() {
        return config.permits() - permits.availablePermits();
    }
}
