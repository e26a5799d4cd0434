package dev.stockroom.warehouse;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.UUID;

/**
 * One well-formed warehouse event. Which fields are set depends on the type (see docs/events.md):
 * {@code location} for all but transfers, {@code from}/{@code to} for transfers, {@code quantity} for all but
 * adjustments, {@code delta} and {@code reason} for adjustments, {@code reservationId} for shipments.
 *
 * @param source the CloudEvents {@code source}; with {@code id} it identifies the event (see {@link #key()})
 * @param record the Kafka record it came in, kept for the dead-letter topic
 */
public record WarehouseEvent(String id, String source, EventType type, String sku, String location, int quantity, int delta,
                             String reason, UUID reservationId, String from, String to,
                             ConsumerRecord<String, byte[]> record) {

    /** The event's identity: a delivery with the same key is the same event. */
    public EventKey key() {
        return new EventKey(source, id);
    }
}
