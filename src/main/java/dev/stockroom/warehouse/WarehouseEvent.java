package dev.stockroom.warehouse;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.List;
import java.util.UUID;

/**
 * One well-formed warehouse event, one record per type with exactly the fields of that type (see docs/events.md).
 * Every event carries its identity ({@link #key()}: CloudEvents {@code source} and {@code id}), its SKU, and the
 * Kafka record it came in, kept for the dead-letter topic.
 */
sealed interface WarehouseEvent {

    EventKey key();

    String sku();

    ConsumerRecord<String, byte[]> record();

    EventType type();

    /** Every location the event names, each of which must exist. */
    List<String> locations();

    default String id() {
        return key().id();
    }

    /** {@code stock.received}: goods arrived at a location. */
    record Received(EventKey key, String sku, String location, int quantity, ConsumerRecord<String, byte[]> record)
            implements
                WarehouseEvent {
        @Override
        public EventType type() {
            return EventType.RECEIVED;
        }

        @Override
        public List<String> locations() {
            return List.of(location);
        }
    }

    /** {@code stock.counted}: a cycle count found {@code quantity} on hand. */
    record Counted(EventKey key, String sku, String location, int quantity, ConsumerRecord<String, byte[]> record)
            implements
                WarehouseEvent {
        @Override
        public EventType type() {
            return EventType.COUNTED;
        }

        @Override
        public List<String> locations() {
            return List.of(location);
        }
    }

    /** {@code stock.adjusted}: on-hand changed by {@code delta} for a stated reason. */
    record Adjusted(EventKey key, String sku, String location, int delta, String reason,
                    ConsumerRecord<String, byte[]> record) implements WarehouseEvent {
        @Override
        public EventType type() {
            return EventType.ADJUSTED;
        }

        @Override
        public List<String> locations() {
            return List.of(location);
        }
    }

    /** {@code stock.shipped}: committed goods of a reservation left the building. */
    record Shipped(EventKey key, String sku, String location, int quantity, UUID reservationId,
                   ConsumerRecord<String, byte[]> record) implements WarehouseEvent {
        @Override
        public EventType type() {
            return EventType.SHIPPED;
        }

        @Override
        public List<String> locations() {
            return List.of(location);
        }
    }

    /** {@code stock.transferred}: goods moved from one location to another. */
    record Transferred(EventKey key, String sku, String from, String to, int quantity,
                       ConsumerRecord<String, byte[]> record) implements WarehouseEvent {
        @Override
        public EventType type() {
            return EventType.TRANSFERRED;
        }

        @Override
        public List<String> locations() {
            return List.of(from, to);
        }
    }
}
