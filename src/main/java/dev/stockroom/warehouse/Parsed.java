package dev.stockroom.warehouse;

/** What {@link WarehouseEventParser} made of a Kafka record: a well-formed event, or why it is not one. */
sealed interface Parsed {

    /** A well-formed warehouse event. */
    record Event(WarehouseEvent event) implements Parsed {
    }

    /** A record that is not a well-formed warehouse event. */
    record Rejected(Refusal refusal) implements Parsed {
    }
}
