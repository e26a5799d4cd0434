package dev.stockroom.platform.flags;

import dev.openfeature.contrib.providers.flagd.resolver.process.storage.connector.QueuePayload;
import dev.openfeature.contrib.providers.flagd.resolver.process.storage.connector.QueuePayloadType;
import dev.openfeature.contrib.providers.flagd.resolver.process.storage.connector.QueueSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Feeds the flagd evaluator from the flag file: reads it at start and then every
 * {@code stockroom.flags.poll-interval}, and hands over a new version only when {@link FlagFile} accepts it.
 *
 * <p>A rejected or missing file leaves the flags in use as they are, sets {@code stockroom_flags_file_rejected} to 1
 * (an alert watches it) and logs why once per version of the file. At start there is always something to hand
 * over: with no good file, an empty flag set, so every flag is off until a good file appears.
 *
 * <p>The file is compared by content, not modification time: a ConfigMap volume replaces its files through a
 * symbolic link swap whose times say little.
 */
@ApplicationScoped
class FlagFileSource implements QueueSource {

    private static final Logger LOG = Logger.getLogger(FlagFileSource.class);

    private final FlagsConfig config;
    private final MeterRegistry registry;
    private final BlockingQueue<QueuePayload> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger rejected = new AtomicInteger();
    private volatile String lastSeen;
    private volatile boolean started;

    FlagFileSource(FlagsConfig config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        registry.gauge("stockroom.flags.file.rejected", rejected);
    }

    @Override
    public void init() {
        started = true;
        if (!poll()) {
            queue.offer(new QueuePayload(QueuePayloadType.DATA, FlagFile.EMPTY));
        }
    }

    @Scheduled(every = "${stockroom.flags.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void watch() {
        if (started) {
            poll();
        }
    }

    /** Reads the file once; whether a new version was handed to the evaluator. */
    synchronized boolean poll() {
        String content;
        try {
            content = Files.readString(config.file());
        } catch (NoSuchFileException e) {
            return reject(null, "missing", "no flag file at " + config.file());
        } catch (IOException e) {
            return reject(null, "unreadable", e.toString());
        }
        if (Objects.equals(content, lastSeen)) {
            return false;
        }
        FlagFile.Verdict verdict = FlagFile.judge(content);
        if (verdict instanceof FlagFile.Rejected r) {
            return reject(content, r.reason(), r.detail());
        }
        FlagFile.Accepted accepted = (FlagFile.Accepted) verdict;
        lastSeen = content;
        rejected.set(0);
        queue.offer(new QueuePayload(QueuePayloadType.DATA, accepted.json()));
        registry.counter("stockroom.flags.file.loads", "outcome", "applied").increment();
        LOG.infof("Feature flags loaded from %s: %s", config.file(), accepted.flags().keySet());
        return true;
    }

    private boolean reject(String content, String reason, String detail) {
        boolean firstTime = rejected.getAndSet(1) == 0 || !Objects.equals(content, lastSeen);
        lastSeen = content;
        if (firstTime) {
            registry.counter("stockroom.flags.file.loads", "outcome", "rejected").increment();
            LOG.warnf("Flag file %s not used (%s): %s; the flags last loaded stay in effect", config.file(), reason,
                    detail);
        }
        return false;
    }

    @Override
    public BlockingQueue<QueuePayload> getStreamQueue() {
        return queue;
    }

    @Override
    public void shutdown() {
        started = false;
    }
}
