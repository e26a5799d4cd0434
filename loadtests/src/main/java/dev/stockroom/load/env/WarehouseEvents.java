package dev.stockroom.load.env;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A warehouse system's producer: CloudEvents in binary mode (key = SKU, {@code ce_} headers, the data as the value),
 * as docs/events.md describes. It keeps retrying through a broker outage (the default delivery timeout) instead of
 * failing the load.
 */
public final class WarehouseEvents implements AutoCloseable {

    private final KafkaProducer<String, byte[]> producer;

    public WarehouseEvents(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** {@code stock.received}: quantity more units arrived at the location. */
    public void received(String eventId, String sku, String location, int quantity) {
        send(eventId, "stock.received", sku, "{\"sku\":\"" + sku + "\",\"location\":\"" + location
                + "\",\"quantity\":" + quantity + "}");
    }

    /** {@code stock.adjusted}: a signed correction (damage, found units). */
    public void adjusted(String eventId, String sku, String location, int delta, String reason) {
        send(eventId, "stock.adjusted", sku, "{\"sku\":\"" + sku + "\",\"location\":\"" + location
                + "\",\"delta\":" + delta + ",\"reason\":\"" + reason + "\"}");
    }

    /** {@code stock.counted}: the location counted {@code quantity} units. */
    public void counted(String eventId, String sku, String location, int quantity) {
        send(eventId, "stock.counted", sku, "{\"sku\":\"" + sku + "\",\"location\":\"" + location
                + "\",\"quantity\":" + quantity + "}");
    }

    /** {@code stock.shipped}: units of a committed reservation left the location. */
    public void shipped(String eventId, String sku, String location, int quantity, String reservationId) {
        send(eventId, "stock.shipped", sku, "{\"sku\":\"" + sku + "\",\"location\":\"" + location
                + "\",\"quantity\":" + quantity + ",\"reservationId\":\"" + reservationId + "\"}");
    }

    /** {@code stock.transferred}: units moved from one location to another. */
    public void transferred(String eventId, String sku, String from, String to, int quantity) {
        send(eventId, "stock.transferred", sku, "{\"sku\":\"" + sku + "\",\"from\":\"" + from + "\",\"to\":\""
                + to + "\",\"quantity\":" + quantity + "}");
    }

    private void send(String eventId, String type, String sku, String data) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        headers.add("ce_id", eventId.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        headers.add("ce_source", "/wms/loadtest".getBytes(StandardCharsets.UTF_8));
        headers.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(Broker.WAREHOUSE_EVENTS, null, sku, data.getBytes(StandardCharsets.UTF_8),
                headers));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
