package dev.stockroom.warehouse;

import dev.stockroom.platform.KafkaClients;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sets bad warehouse events aside on the dead-letter topic: the original key, value and headers, plus
 * {@code dlq-reason}, {@code dlq-detail} and {@code dlq-original-topic|partition|offset}.
 */
@ApplicationScoped
class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    private final WarehouseConfig config;
    private final MeterRegistry registry;
    private final KafkaProducer<String, byte[]> producer;

    DeadLetters(WarehouseConfig config, MeterRegistry registry, KafkaClients kafka) {
        this.config = config;
        this.registry = registry;
        int timeout = (int) config.deadLetterTimeout().toMillis();
        this.producer = kafka.producer("stockroom-warehouse-dlq", Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                // Every wait of the producer within the dead-letter timeout: for the topic's metadata (a missing
                // or unreachable topic blocks send() itself), for a request, and for a record's whole delivery.
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, timeout,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout));
    }

    /**
     * Sends the rejections and waits, up to the dead-letter timeout, until the broker has them. Returns those it
     * did not acknowledge in time (empty when all were); the caller sends them again later.
     */
    List<DeadLetter> send(List<DeadLetter> rejections) {
        if (rejections.isEmpty()) {
            return List.of();
        }
        long deadline = System.nanoTime() + config.deadLetterTimeout().toNanos();
        Map<DeadLetter, Future<RecordMetadata>> acks = new LinkedHashMap<>();
        for (DeadLetter r : rejections) {
            if (System.nanoTime() - deadline > 0) {
                // send() itself blocks while the topic's metadata is missing: do not pay that once per record.
                break;
            }
            RecordHeaders headers = new RecordHeaders(r.record().headers().toArray());
            headers.add("dlq-reason", bytes(r.reason().code()));
            headers.add("dlq-detail", bytes(r.detail()));
            headers.add("dlq-original-topic", bytes(r.record().topic()));
            headers.add("dlq-original-partition", bytes(String.valueOf(r.record().partition())));
            headers.add("dlq-original-offset", bytes(String.valueOf(r.record().offset())));
            acks.put(r, producer.send(new ProducerRecord<>(config.deadLetterTopic(), null, r.record().key(),
                    r.record().value(), headers)));
        }
        List<DeadLetter> unacknowledged = new ArrayList<>(rejections.subList(acks.size(), rejections.size()));
        Throwable cause = null;
        for (Map.Entry<DeadLetter, Future<RecordMetadata>> ack : acks.entrySet()) {
            DeadLetter r = ack.getKey();
            try {
                ack.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                registry.counter("stockroom.warehouse.dead.letters", "reason", r.reason().code()).increment();
                LOG.warnf("Dead-lettered warehouse event %s (%s-%d@%d): %s, %s", r.event(), r.record().topic(),
                        r.record().partition(), r.record().offset(), r.reason().code(), r.detail());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while dead-lettering", e);
            } catch (ExecutionException | TimeoutException e) {
                unacknowledged.add(r);
                cause = e instanceof ExecutionException ? e.getCause() : e;
            }
        }
        if (!unacknowledged.isEmpty()) {
            LOG.warnf("%d of %d dead letters not acknowledged by %s within %s (%s)", unacknowledged.size(),
                    rejections.size(), config.deadLetterTopic(), config.deadLetterTimeout(),
                    cause == null ? "not sent" : cause.toString());
        }
        return unacknowledged;
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
