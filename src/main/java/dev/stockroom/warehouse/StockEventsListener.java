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
 * the commit and after the dead-letter topic took the batch's dead letters (the throttled commit strategy commits
 * acknowledged offsets). If the batch fails, its events are applied one at a time, so one event the database
 * refuses cannot roll back or block its neighbours. If the database or the dead-letter topic is unreachable, the
 * step that needs it is retried with backoff: nothing is skipped, and events applied before the failure are
 * recognised by their (source, id).
 *
 * <p>Its partitions are applied on threads of its own ({@code stockroom.warehouse.apply-threads}), not on Quarkus's
 * worker pool: the consumer waits for them, so a worker pool busy with HTTP requests would turn into consumer lag.
 * It is a little over 200 lines because the split, the one-at-a-time fallback and the acknowledgement are one
 * protocol that reads best in one place.
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
    private final Retrying retrying;

    StockEventsListener(WarehouseEventParser parser, StockEventService service, DeadLetters deadLetters,
                        WarehouseConfig config, MeterRegistry registry) {
        this.parser = parser;
        this.service = service;
        this.deadLetters = deadLetters;
        this.config = config;
        this.registry = registry;
        this.retrying = new Retrying(config, registry);
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

    /**
     * Applies one partition's records in their order, then sends their dead letters; each step is retried with
     * backoff while the database or the dead-letter topic is unreachable.
     *
     * <p>Dead letters are sent after the commit, so a slow or unreachable dead-letter topic never keeps stock rows
     * locked: holds on the batch's SKUs go on meanwhile. Until the broker has them all, this method does not return
     * and the batch's offsets wait; a crash in between delivers the batch again, its rejected events are judged
     * again and their dead letters sent again. Every attempt at the database judges all of the batch's events
     * again, so the dead letters are those of the attempt that committed: each record's dead letter is sent once
     * per delivery, however many attempts an outage takes.
     */
    private void applyInOrder(List<ConsumerRecord<String, byte[]>> records) throws InterruptedException {
        List<WarehouseEvent> events = new ArrayList<>(records.size());
        List<DeadLetter> letters = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            Parsed parsed = parser.parse(record);
            if (parsed instanceof Parsed.Event event) {
                events.add(event.event());
            } else {
                letters.add(DeadLetter.of(((Parsed.Rejected) parsed).refusal(), null, record));
            }
        }
        letters.addAll(retrying.until("apply " + events.size() + " warehouse events", () -> apply(events)));
        List<DeadLetter> unsent = letters;
        while (!unsent.isEmpty()) {
            List<DeadLetter> pending = unsent;
            unsent = retrying.until("reach the dead-letter topic", () -> sendAtLeastOne(pending));
        }
    }

    /** Sends the dead letters; returns those still unsent, and fails (to back off) if none went. */
    private List<DeadLetter> sendAtLeastOne(List<DeadLetter> pending) {
        List<DeadLetter> unsent = this.deadLetters.send(pending);
        if (unsent.size() == pending.size()) {
            throw new IllegalStateException("The dead-letter topic acknowledged none of " + pending.size()
                    + " dead letters");
        }
        return unsent;
    }

    @PreDestroy
    void stop() {
        applyThreads.shutdownNow();
    }

    /** Applies the events in one transaction, or one at a time if that fails; returns the rejected ones. */
    private List<DeadLetter> apply(List<WarehouseEvent> events) {
        if (events.isEmpty()) {
            return List.of();
        }
        try {
            StockEventService.Outcome outcome = QuarkusTransaction.requiringNew().call(() -> service.apply(events));
            report(outcome);
            return outcome.rejected();
        } catch (RuntimeException batchFailure) {
            if (events.size() == 1 && !refusedByDatabase(batchFailure)) {
                throw batchFailure;
            }
            LOG.infof("A batch of %d warehouse events failed (%s); applying them one at a time", events.size(),
                    batchFailure.toString());
            List<DeadLetter> rejected = new ArrayList<>();
            for (WarehouseEvent event : events) {
                rejected.addAll(applyOne(event));
            }
            return rejected;
        }
    }

    private List<DeadLetter> applyOne(WarehouseEvent event) {
        try {
            StockEventService.Outcome outcome = QuarkusTransaction.requiringNew()
                    .call(() -> service.apply(List.of(event)));
            report(outcome);
            return outcome.rejected();
        } catch (RuntimeException failure) {
            if (!refusedByDatabase(failure)) {
                throw failure;
            }
            return List.of(new DeadLetter(Rejection.DATABASE_REJECTED, rootMessage(failure), event.key(), event
                    .record()));
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
}
