package dev.stockroom.warehouse;

import dev.stockroom.platform.Backoff;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Runs a step of consuming warehouse events until it succeeds: the consumer never skips a batch, it waits out the
 * database or broker trouble, pausing between attempts ({@link Backoff}: doubling up to the maximum) and counting
 * each retry in {@code stockroom.warehouse.retries}.
 */
final class Retrying {

    private static final Logger LOG = Logger.getLogger(StockEventsListener.class);

    private final WarehouseConfig config;
    private final Counter retries;

    Retrying(WarehouseConfig config, MeterRegistry registry) {
        this.config = config;
        this.retries = Counter.builder("stockroom.warehouse.retries")
                .description(
                        "Attempts at a batch of warehouse events, or at its dead letters, that failed and were retried")
                .register(registry);
    }

    <T> T until(String what, Callable<T> attempt) throws InterruptedException {
        Backoff backoff = new Backoff(config.retryBackoff(), config.maxRetryBackoff());
        while (true) {
            try {
                return attempt.call();
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception unavailable) {
                retries.increment();
                Duration pause = backoff.next();
                LOG.warnf(unavailable, "Could not %s; retrying in %s", what, pause);
                // Interruptible: shutdown cancels the apply threads, and the interrupt ends the wait at once.
                Thread.sleep(pause.toMillis());
            }
        }
    }
}
