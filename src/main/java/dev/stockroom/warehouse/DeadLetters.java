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
        this.producer = kafka.producer("stockroom-warehouse-dlq", Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0));
    }

    /** Sends every rejection and waits until the broker has them all; throws if it does not in time. */
    void send(List<Rejection> rejections) {
        if (rejections.isEmpty()) {
            return;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (Rejection r : rejections) {
            RecordHeaders headers = new RecordHeaders(r.record().headers().toArray());
            headers.add("dlq-reason", bytes(r.reason()));
            headers.add("dlq-detail", bytes(r.detail()));
            headers.add("dlq-original-topic", bytes(r.record().topic()));
            headers.add("dlq-original-partition", bytes(String.valueOf(r.record().partition())));
            headers.add("dlq-original-offset", bytes(String.valueOf(r.record().offset())));
            acks.add(producer.send(new ProducerRecord<>(config.deadLetterTopic(), null, r.record().key(),
                    r.record().value(), headers)));
        }
        long deadline = System.nanoTime() + config.deadLetterTimeout().toNanos();
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while dead-lettering", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("The dead-letter topic did not acknowledge in time", e);
        }
        for (Rejection r : rejections) {
            registry.counter("stockroom.warehouse.dead.letters", "reason", r.reason()).increment();
            LOG.warnf("Dead-lettered warehouse event %s (%s-%d@%d): %s, %s", r.event(), r.record().topic(),
                    r.record().partition(), r.record().offset(), r.reason(), r.detail());
        }
    }

    private static byte[] bytes(String value) {
        return value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
