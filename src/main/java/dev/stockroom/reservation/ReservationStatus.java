package dev.stockroom.reservation;

/**
 * The life of a hold: HELD → COMMITTED → FULFILLED (shipped); HELD → RELEASED or EXPIRED gives the quantity back;
 * COMMITTED → RELEASED is an order cancellation.
 */
public enum ReservationStatus {
    HELD,
    COMMITTED,
    RELEASED,
    EXPIRED,
    FULFILLED
}
