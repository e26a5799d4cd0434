package dev.stockroom.warehouse;

import java.util.Arrays;
import java.util.Optional;

/** The warehouse event types, by their CloudEvents {@code type}. */
enum EventType {
    RECEIVED("stock.received"),
    COUNTED("stock.counted"),
    ADJUSTED("stock.adjusted"),
    SHIPPED("stock.shipped"),
    TRANSFERRED("stock.transferred");

    private final String ceType;

    EventType(String ceType) {
        this.ceType = ceType;
    }

    String ceType() {
        return ceType;
    }

    static Optional<EventType> of(String ceType) {
        return Arrays.stream(values()).filter(t -> t.ceType.equals(ceType)).findFirst();
    }
}
