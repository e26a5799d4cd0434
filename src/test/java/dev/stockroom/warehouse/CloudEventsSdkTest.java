package dev.stockroom.warehouse;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Kafka;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.message.Encoding;
import io.cloudevents.jackson.JsonFormat;
import io.cloudevents.kafka.CloudEventSerializer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Warehouse events written by an independent producer, the CloudEvents Java SDK's Kafka binding, rather than by
 * the test helpers that share the service's reading of the spec: both encodings are applied like any other event.
 */
@QuarkusTest
class CloudEventsSdkTest {

    @Inject
    Db db;

    @Test
    void consume_sdkEventsInBinaryAndStructuredEncoding_areApplied() {
        // Given
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("SDK");
        String received = UUID.randomUUID().toString();
        String adjusted = UUID.randomUUID().toString();

        // When: a receipt in binary encoding, then an adjustment in structured encoding
        send(Encoding.BINARY, event(received, "stock.received",
                "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":7}"), sku);
        send(Encoding.STRUCTURED, event(adjusted, "stock.adjusted",
                "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"delta\":-2,\"reason\":\"damaged\"}"),
                sku);

        // Then
        await().atMost(Duration.ofSeconds(30)).until(() -> db.scalar(
                "SELECT count(*) FROM stock_movement WHERE sku = ?", sku) == 2);
        assertThat(db.level(sku, location)).containsExactly(5, 0, 0, 0);
        assertThat(db.rows("SELECT kind, event_id FROM stock_movement WHERE sku = ? ORDER BY id", sku))
                .containsExactly(Map.of("kind", "RECEIVED", "event_id", received),
                        Map.of("kind", "ADJUSTED", "event_id", adjusted));
    }

    private static CloudEvent event(String id, String type, String data) {
        return CloudEventBuilder.v1().withId(id).withSource(URI.create("/wms/sdk")).withType(type)
                .withDataContentType("application/json").withData(data.getBytes(StandardCharsets.UTF_8)).build();
    }

    private static void send(Encoding encoding, CloudEvent event, String sku) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Kafka.bootstrap(),
                ProducerConfig.ACKS_CONFIG, "all",
                CloudEventSerializer.ENCODING_CONFIG, encoding.name(),
                CloudEventSerializer.EVENT_FORMAT_CONFIG, JsonFormat.CONTENT_TYPE);
        try (KafkaProducer<String, CloudEvent> producer = new KafkaProducer<>(config, new StringSerializer(),
                serializer(config))) {
            producer.send(new ProducerRecord<>(Kafka.EVENTS, sku, event));
            producer.flush();
        }
    }

    private static CloudEventSerializer serializer(Map<String, Object> config) {
        CloudEventSerializer serializer = new CloudEventSerializer();
        serializer.configure(config, false);
        return serializer;
    }
}
