package dev.stockroom.warehouse;

/** Why one warehouse event cannot be applied: a reason code and a sentence that says what was wrong. */
record Refusal(Rejection reason, String detail) {
}
