package dev.stockroom.warehouse;

/** What was decided about a warehouse event, as {@code event_decision.outcome} and {@code applied_event.outcome} store it. */
enum Decision {
    /** Applied: a redelivery is a duplicate. */
    APPLIED,
    /** Rejected: a redelivery is judged again, since its cause may have been fixed. */
    REJECTED
}
