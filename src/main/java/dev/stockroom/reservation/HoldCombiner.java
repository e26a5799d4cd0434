package dev.stockroom.reservation;

import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;

/**
 * The combining engine: concurrent holds share transactions, so that a hot stock row is locked and committed once
 * per batch rather than once per hold.
 *
 * <p>Each of a few writer loops owns a share of the SKUs, by the hash of a hold's first SKU in lock order, so one
 * SKU's holds never split across loops (a multi-line hold's other SKUs may belong to other loops; their batches then
 * meet on the row locks, taken in one order). A loop takes every hold waiting for it, up to the batch size, and
 * places them in one {@link HoldTransaction}: no timer, so under light load a batch is one hold and costs what a
 * hold alone costs. Callers wait on a future, not on a thread: a thousand buyers in the queues cost no threads.
 * A full queue answers 503 at once; a hold that waited past its deadline is answered 503 and never placed.
 *
 * <p>The loops are threads of their own rather than tasks on Quarkus's worker pool: each blocks on its queue for
 * the life of the service, which would pin a worker for ever and hide it from the pool's sizing.
 */
@ApplicationScoped
class HoldCombiner implements HoldEngine {

    private static final Logger LOG = Logger.getLogger(HoldCombiner.class);

    private final HoldBatch batch;
    private final HoldsConfig config;
    private final Clock clock;
    private final List<Writer> writers = new ArrayList<>();
    private final DistributionSummary batchSize;
    private final Timer queueTime;
    private final Timer batchTime;
    private final Counter queueFull;
    private final Counter late;

    HoldCombiner(HoldBatch batch, HoldsConfig config, Clock clock, MeterRegistry registry) {
        this.batch = batch;
        this.config = config;
        this.clock = clock;
        for (int i = 0; i < config.writers(); i++) {
            writers.add(new Writer(i));
        }
        this.batchSize = DistributionSummary.builder("stockroom.holds.batch.size")
                .description("Holds placed per batch transaction").publishPercentileHistogram()
                .minimumExpectedValue(1.0).maximumExpectedValue((double) config.batchSize()).register(registry);
        this.queueTime = Timer.builder("stockroom.holds.queue.time")
                .description("Time from a hold's arrival to the start of its batch").publishPercentileHistogram()
                .register(registry);
        this.batchTime = Timer.builder("stockroom.holds.batch.duration")
                .description("Time to place a batch of holds: its transaction and the answers")
                .publishPercentileHistogram().register(registry);
        Gauge.builder("stockroom.holds.queue.depth", this, HoldCombiner::queued)
                .description("Holds waiting to enter a batch").register(registry);
        Gauge.builder("stockroom.holds.queue.capacity", this, c -> c.config.queueCapacity() * c.writers.size())
                .description("Holds that may wait to enter a batch at most").register(registry);
        this.queueFull = shed(registry, "queue-full");
        this.late = shed(registry, "deadline");
    }

    private static Counter shed(MeterRegistry registry, String reason) {
        return Counter.builder("stockroom.holds.shed").tag("reason", reason)
                .description("Holds answered 503 without being placed").register(registry);
    }

    void start(@Observes StartupEvent startup) {
        writers.forEach(Writer::start);
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        // By now the HTTP server has let in-flight requests finish; anything still queued is answered, not dropped.
        for (Writer writer : writers) {
            writer.stop();
        }
    }

    @Override
    public CompletionStage<ReservationService.HoldOutcome> submit(PendingHold hold) {
        Writer writer = writers.get(Math.floorMod(hold.firstSku().hashCode(), writers.size()));
        if (!writer.queue.offer(hold)) {
            queueFull.increment();
            hold.answer().completeExceptionally(unavailable("Too many holds are waiting; retry shortly"));
        }
        return hold.answer();
    }

    /** Holds waiting in every queue. */
    int queued() {
        return writers.stream().mapToInt(w -> w.queue.size()).sum();
    }

    private ProblemException unavailable(String detail) {
        return new ProblemException(ProblemType.SERVICE_UNAVAILABLE, detail,
                Map.of("retryAfterSeconds", Math.max(1, config.retryAfter().toSeconds())));
    }

    /**
     * One writer loop: its queue, and the thread that places its batches one at a time. A thread of its own rather
     * than a task on a managed executor: the loop runs for the life of the service, so it would hold a worker thread
     * forever, and a named thread per writer makes a stuck writer easy to find in a thread dump.
     */
    private final class Writer implements Runnable {
        final BlockingQueue<PendingHold> queue = new ArrayBlockingQueue<>(config.queueCapacity());
        final Thread thread;
        volatile boolean running = true;

        Writer(int index) {
            thread = new Thread(this, "hold-writer-" + index);
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(Duration.ofSeconds(10).toMillis());
            List<PendingHold> left = new ArrayList<>();
            queue.drainTo(left);
            left.forEach(h -> h.answer().completeExceptionally(unavailable("The service is shutting down; retry")));
        }

        @Override
        public void run() {
            List<PendingHold> taken = new ArrayList<>(config.batchSize());
            while (running) {
                try {
                    taken.add(queue.take());
                } catch (InterruptedException e) {
                    return;
                }
                queue.drainTo(taken, config.batchSize() - 1);
                placeInTime(taken);
                taken.clear();
            }
        }

        private void placeInTime(List<PendingHold> taken) {
            Instant now = clock.instant();
            Instant cutoff = now.minus(config.enterDeadline());
            List<PendingHold> inTime = new ArrayList<>(taken.size());
            for (PendingHold hold : taken) {
                if (hold.arrived().isBefore(cutoff)) {
                    late.increment();
                    hold.answer().completeExceptionally(unavailable("The hold waited too long to be placed and was"
                            + " not placed; retry shortly"));
                } else {
                    queueTime.record(Duration.between(hold.arrived(), now));
                    inTime.add(hold);
                }
            }
            if (inTime.isEmpty()) {
                return;
            }
            batchSize.record(inTime.size());
            try {
                batchTime.record(() -> batch.place(inTime));
            } catch (RuntimeException bug) {
                LOG.error("Placing a batch of holds failed", bug);
                inTime.forEach(h -> h.answer().completeExceptionally(bug));
            }
        }
    }
}
