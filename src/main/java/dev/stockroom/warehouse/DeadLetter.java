package dev.stockroom.warehouse;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A warehouse event set aside on the dead-letter topic, and why.
 *
 * @param reason why, as a stable code from docs/events.md
 * @param detail a sentence for the humans who read the dead-letter topic
 * @param event  the event's identity, when it could be read
 * @param record the Kafka record as it came in
 */
record DeadLetter(Rejection reason, String detail, EventKey event, ConsumerRecord<String, byte[]> record) {

    static DeadLetter of(Refusal refusal, EventKey event, ConsumerRecord<String, byte[]> record) {
        return new DeadLetter(refusal.reason(), refusal.detail(), event, record);
    }
}
