package dev.stockroom.support;

import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import javax.management.ObjectName;

import static org.awaitility.Awaitility.await;

/** Talks to the test suite's embedded Kafka broker the way a warehouse system or a downstream consumer would. */
public final class Kafka {

    public static final String EVENTS = "warehouse.stock-events";
    public static final String DLQ = "warehouse.stock-events.dlq";
    public static final String CHANGES = "inventory.stock-changes";

    private Kafka() {
    }

    public static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    public static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** A binary-mode CloudEvent: ce_ headers, the data as the value, key = SKU. */
    public static ProducerRecord<String, byte[]> binary(String id, String type, String sku, String dataJson) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(id));
        headers.add("ce_type", bytes(type));
        headers.add("ce_source", bytes("/wms/test"));
        headers.add("content-type", bytes("application/json"));
        return new ProducerRecord<>(EVENTS, null, sku, bytes(dataJson), headers);
    }

    /** A structured-mode CloudEvent: the whole event as JSON, key = SKU. */
    public static ProducerRecord<String, byte[]> structured(String id, String type, String sku, String dataJson) {
        String event = "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"type\":\"" + type
                + "\",\"source\":\"/wms/test\",\"datacontenttype\":\"application/json\",\"data\":" + dataJson + "}";
        RecordHeaders headers = new RecordHeaders();
        headers.add("content-type", bytes("application/cloudevents+json"));
        return new ProducerRecord<>(EVENTS, null, sku, bytes(event), headers);
    }

    public static void send(List<ProducerRecord<String, byte[]>> records) {
        try (KafkaProducer<String, byte[]> producer = producer()) {
            records.forEach(producer::send);
            producer.flush();
        }
    }

    /**
     * Sends records so that the service's consumer of {@code channel} receives them in one poll: paused, it fetches
     * nothing while they are produced, and the first poll after it resumes brings them all. A consumer that has not
     * yet joined its group has no partitions to pause and would take the records as they come, so this first waits
     * until the channel's consumers hold every partition of the records' topic.
     */
    public static void sendInOnePoll(KafkaClientService clients, String channel,
                                     List<ProducerRecord<String, byte[]>> records) {
        List<io.smallrye.reactive.messaging.kafka.KafkaConsumer<Object, Object>> consumers = clients.getConsumers(
                channel);
        String topic = records.get(0).topic();
        int partitions = consumers.get(0).partitionsFor(topic).await().indefinitely().size();
        await().atMost(Duration.ofSeconds(60)).until(() -> consumers.stream()
                .mapToInt(c -> c.getAssignments().await().indefinitely().size()).sum() == partitions);
        consumers.forEach(c -> c.pause().await().indefinitely());
        send(records);
        consumers.forEach(c -> c.resume().await().indefinitely());
    }

    /** A consumer of a whole topic from its beginning, reading only committed records. */
    public static KafkaConsumer<String, byte[]> consumer(String topic) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return consumer;
    }

    /** Polls once and keeps the records that match. */
    public static List<ConsumerRecord<String, byte[]>> poll(KafkaConsumer<String, byte[]> consumer,
                                                            Predicate<ConsumerRecord<String, byte[]>> wanted) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
            if (wanted.test(r)) {
                found.add(r);
            }
        });
        return found;
    }

    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public static String value(ConsumerRecord<String, byte[]> record) {
        return new String(record.value(), StandardCharsets.UTF_8);
    }

    /** Stops the embedded broker (the service's clients lose their connections until {@link #startBroker}). */
    public static void stopBroker() {
        control("stopBroker");
    }

    public static void startBroker() {
        control("startBroker");
    }

    private static void control(String operation) {
        try {
            ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("dev.stockroom:type=EmbeddedKafka"),
                    operation, null, null);
        } catch (Exception e) {
            throw new IllegalStateException("Could not " + operation + " the embedded Kafka broker", e);
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
