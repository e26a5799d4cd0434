package dev.stockroom.reservation;

import dev.stockroom.stock.StockKey;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A reservation locked for shipping, as shipments see it: its status and, per line, what is committed and what has
 * shipped. Changed in memory by {@link #ship}; {@link ReservationService#recordShipments} writes it.
 *
 * <p><b>Note:</b> not thread-safe; it belongs to the one transaction that locked the reservation.
 */
public final class ShippingOrder {

    final UUID id;
    final ReservationStatus status;
    final Map<StockKey, Line> lines = new LinkedHashMap<>();
    boolean changed;

    ShippingOrder(UUID id, ReservationStatus status) {
        this.id = id;
        this.status = status;
    }

    /** A reservation line as shipping sees it: what was committed, and how much of it has shipped. */
    record Line(int quantity, int shipped) {
        Line ship(int more) {
            return new Line(quantity, shipped + more);
        }
    }

    public boolean committed() {
        return status == ReservationStatus.COMMITTED;
    }

    /** What is left to ship of the line at {@code key}; empty if the reservation has no such line. */
    public Optional<Integer> unshipped(StockKey key) {
        Line line = lines.get(key);
        return line == null ? Optional.empty() : Optional.of(line.quantity() - line.shipped());
    }

    /** Notes that {@code quantity} of the line at {@code key} shipped; the caller checked {@link #unshipped}. */
    public void ship(StockKey key, int quantity) {
        lines.computeIfPresent(key, (k, line) -> line.ship(quantity));
        changed = true;
    }

    boolean fulfilled() {
        return lines.values().stream().allMatch(l -> l.quantity() == l.shipped());
    }
}
