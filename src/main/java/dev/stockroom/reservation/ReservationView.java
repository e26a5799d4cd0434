package dev.stockroom.reservation;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A reservation as the API shows it. */
public record ReservationView(UUID id, ReservationStatus status, String orderRef, Instant createdAt,
                              Instant expiresAt, List<Line> lines) {

    /** A held line with the location it was sourced from. */
    public record Line(String sku, String location, int quantity) {
        /** The order lines are shown in, which is the order their stock rows are locked. */
        static final java.util.Comparator<Line> LOCK_ORDER =
                dev.stockroom.stock.StockKey.lockOrder(Line::sku, Line::location);
    }

    static ReservationView of(Reservation r) {
        return withStatus(r, r.status);
    }

    /** The representation with another status: a replayed hold answers exactly as it first did (HELD). */
    static ReservationView withStatus(Reservation r, ReservationStatus status) {
        return new ReservationView(r.id, status, r.orderRef, r.createdAt, r.expiresAt,
                r.linesInLockOrder().stream().map(l -> new Line(l.sku, l.location, l.quantity)).toList());
    }
}
