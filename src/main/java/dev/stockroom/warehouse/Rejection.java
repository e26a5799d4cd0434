package dev.stockroom.warehouse;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Why a warehouse event was set aside on the dead-letter topic.
 *
 * @param reason a stable code from docs/events.md, such as {@code unknown-location}
 * @param detail  a sentence for the humans who read the dead-letter topic
 * @param eventId the event's id, when it had one
 */
public record Rejection(String reason, String detail, String eventId, ConsumerRecord<String, byte[]> record) {
}
