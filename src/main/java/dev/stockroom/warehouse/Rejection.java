package dev.stockroom.warehouse;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Why a warehouse event was set aside on the dead-letter topic.
 *
 * @param reason a stable code from docs/events.md, such as {@code unknown-location}
 * @param detail  a sentence for the humans who read the dead-letter topic
 * @param event   the event's identity, when it could be read
 */
public record Rejection(String reason, String detail, EventKey event, ConsumerRecord<String, byte[]> record) {
}
