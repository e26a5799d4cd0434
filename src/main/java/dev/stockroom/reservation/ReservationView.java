package dev.stockroom.reservation;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A reservation as the API shows it. */
@Schema(name = "Reservation", requiredProperties = {"id", "status", "orderRef", "createdAt", "expiresAt", "lines"})
public record ReservationView(UUID id, ReservationStatus status, String orderRef, Instant createdAt,
                              Instant expiresAt, List<Line> lines) {

    /** A held line with the location it was sourced from. */
    @Schema(name = "ReservationLine", requiredProperties = {"sku", "location", "quantity"})
    public record Line(String sku, String location, int quantity) {
        /** The order lines are shown in, which is the order their stock rows are locked. */
        static final java.util.Comparator<Line> LOCK_ORDER =
                dev.stockroom.stock.StockKey.lockOrder(Line::sku, Line::location);
    }

    static ReservationView of(Reservation r) {
        return new ReservationView(r.id, r.status, r.orderRef, r.createdAt, r.expiresAt,
                r.linesInLockOrder().stream().map(l -> new Line(l.sku, l.location, l.quantity)).toList());
    }
}
