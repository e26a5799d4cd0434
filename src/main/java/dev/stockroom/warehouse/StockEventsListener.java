package dev.stockroom.warehouse;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Consumes {@code warehouse.stock-events} in batches.
 *
 * <p>A polled batch is split by partition and the partitions are applied concurrently, each in one transaction
 * and in its own order; key = SKU puts a SKU's events in one partition, so per-SKU order is kept and the
 * transactions touch disjoint stock levels. The offsets are acknowledged when this method returns, that is after
 * the commit (the throttled commit strategy commits acknowledged offsets). If the batch fails, its events are
 * applied one at a time, so one event the database refuses cannot roll back or block its neighbours. If the
 * database or the dead-letter topic is unreachable, the batch is retried with backoff: nothing is skipped, and
 * events applied before the failure are recognised by their ids.
 */
@ApplicationScoped
public class StockEventsListener {

    /** The channel name; its Kafka settings are {@code mp.messaging.incoming.warehouse-stock-events.*}. */
    public static final String CHANNEL = "warehouse-stock-events";

    private static final Logger LOG = Logger.getLogger(StockEventsListener.class);

    private final WarehouseEventParser parser;
    private final StockEventService service;
    private final DeadLetters deadLetters;
    private final WarehouseConfig config;
    private final MeterRegistry registry;
    private final ExecutorService applyThreads;

    StockEventsListener(WarehouseEventParser parser, StockEventService service, DeadLetters deadLetters,
                        WarehouseConfig config, MeterRegistry registry) {
        this.parser = parser;
        this.service = service;
        this.deadLetters = deadLetters;
        this.config = config;
        this.registry = registry;
        AtomicInteger threads = new AtomicInteger();
        this.applyThreads = Executors.newFixedThreadPool(config.applyThreads(), task -> {
            Thread thread = new Thread(task, "warehouse-apply-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    // Hibernate ORM and JDBC are blocking; ordered (the default) keeps this consumer's batches in poll order.
    @Incoming(CHANNEL)
    @Blocking
    public void consume(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<Future<?>> slices = new ArrayList<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<String, byte[]>> slice = records.records(partition);
            slices.add(applyThreads.submit(() -> {
                applyInOrder(slice);
                return null;
            }));
        }
        try {
            for (Future<?> slice : slices) {
                slice.get();
            }
        } catch (ExecutionException e) {
            // applyInOrder retries until it succeeds; only an interrupt (shutdown) ends it early.
            throw new IllegalStateException("Applying warehouse events was interrupted", e.getCause());
        } finally {
            slices.forEach(slice -> slice.cancel(true));
        }
    }

    /** Applies one partition's records in their order; retries with backoff while the database is unreachable. */
    private void applyInOrder(List<ConsumerRecord<String, byte[]>> records) throws InterruptedException {
        List<WarehouseEvent> events = new ArrayList<>(records.size());
        List<Rejection> malformed = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            Object parsed = parser.parse(record);
            if (parsed instanceof WarehouseEvent event) {
                events.add(event);
            } else {
                malformed.add((Rejection) parsed);
            }
        }
        Duration backoff = config.retryBackoff();
        while (true) {
            try {
                applyBatch(events, malformed);
                return;
            } catch (RuntimeException unavailable) {
                registry.counter("stockroom.warehouse.retries").increment();
                LOG.warnf(unavailable, "Could not apply %d warehouse events; retrying in %s", events.size(), backoff);
                Thread.sleep(backoff.toMillis());
                backoff = min(backoff.multipliedBy(2), config.maxRetryBackoff());
            }
        }
    }

    @PreDestroy
    void stop() {
        applyThreads.shutdownNow();
    }

    private void applyBatch(List<WarehouseEvent> events, List<Rejection> malformed) {
        StockEventService.Outcome outcome;
        try {
            outcome = QuarkusTransaction.requiringNew().call(() -> {
                StockEventService.Outcome o = service.apply(events);
                // Dead-lettered before the commit: a crash in between repeats the dead letter, never loses it.
                deadLetters.send(concat(malformed, o.rejected()));
                return o;
            });
        } catch (RuntimeException batchFailure) {
            if (events.size() <= 1 && malformed.isEmpty() && !refusedByDatabase(batchFailure)) {
                throw batchFailure;
            }
            LOG.infof("A batch of %d warehouse events failed (%s); applying them one at a time", events.size(),
                    batchFailure.toString());
            deadLetters.send(malformed);
            events.forEach(this::applyOne);
            return;
        }
        report(outcome);
    }

    private void applyOne(WarehouseEvent event) {
        try {
            report(QuarkusTransaction.requiringNew().call(() -> {
                StockEventService.Outcome o = service.apply(List.of(event));
                deadLetters.send(o.rejected());
                return o;
            }));
        } catch (RuntimeException failure) {
            if (!refusedByDatabase(failure)) {
                throw failure;
            }
            deadLetters.send(List.of(new Rejection("database-rejected", rootMessage(failure), event.key(),
                    event.record())));
        }
    }

    private void report(StockEventService.Outcome outcome) {
        registry.counter("stockroom.warehouse.events", "outcome", "applied").increment(outcome.applied());
        registry.counter("stockroom.warehouse.events", "outcome", "duplicate").increment(outcome.duplicates());
        registry.counter("stockroom.warehouse.events", "outcome", "rejected").increment(outcome.rejected().size());
        for (StockEventService.Oversold oversold : outcome.oversold()) {
            registry.counter("stockroom.stock.oversold", "location", oversold.level().location()).increment();
            LOG.warnf("Oversold by shrinkage: SKU %s at %s has %d on hand for %d reserved and %d committed"
                            + " (event %s); holds stay in place", oversold.level().sku(), oversold.level().location(),
                    oversold.level().onHand(), oversold.level().reserved(), oversold.level().committed(),
                    oversold.eventId());
        }
    }

    /**
     * True when the database refused the data itself (a data exception or a constraint, SQLSTATE class 22 or 23),
     * which retrying cannot cure; a unique violation is a race with a concurrent insert and is worth a retry.
     */
    private static boolean refusedByDatabase(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                String state = sql.getSQLState();
                return !state.equals("23505") && (state.startsWith("22") || state.startsWith("23"));
            }
        }
        return false;
    }

    private static String rootMessage(Throwable failure) {
        Throwable t = failure;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    private static List<Rejection> concat(List<Rejection> a, List<Rejection> b) {
        List<Rejection> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
