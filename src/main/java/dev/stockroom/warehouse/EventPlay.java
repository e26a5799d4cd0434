package dev.stockroom.warehouse;

import dev.stockroom.reservation.ShippingOrder;
import dev.stockroom.stock.LockedStock;
import dev.stockroom.stock.Movement;
import dev.stockroom.stock.MovementKind;
import dev.stockroom.stock.StockKey;
import dev.stockroom.stock.StockLevel;
import dev.stockroom.warehouse.WarehouseEvent.Adjusted;
import dev.stockroom.warehouse.WarehouseEvent.Counted;
import dev.stockroom.warehouse.WarehouseEvent.Received;
import dev.stockroom.warehouse.WarehouseEvent.Shipped;
import dev.stockroom.warehouse.WarehouseEvent.Transferred;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The rules of the warehouse events (docs/events.md): one event played on the locked stock levels as its
 * predecessors in the batch left them. {@link #run} checks every rule and computes the changes without making them;
 * {@link #commit} makes them, so an event that breaks a rule on its second side (a transfer) changes nothing.
 */
final class EventPlay {

    private final WarehouseEvent event;
    private final LockedStock stock;
    private final Set<String> knownLocations;
    private final Map<UUID, ShippingOrder> orders;
    private final Instant now;
    private final UUID reservationId;
    private final String reason;
    private final List<Movement> movements = new ArrayList<>();

    EventPlay(WarehouseEvent event, LockedStock stock, Set<String> knownLocations,
              Map<UUID, ShippingOrder> orders, Instant now) {
        this.event = event;
        this.stock = stock;
        this.knownLocations = knownLocations;
        this.orders = orders;
        this.now = now;
        this.reservationId = event instanceof Shipped s ? s.reservationId() : null;
        this.reason = event instanceof Adjusted a ? a.reason() : null;
    }

    /** Checks the rules and computes the changes; empty if the event may be applied, else why not. */
    Optional<Refusal> run() {
        for (String l : event.locations()) {
            if (!knownLocations.contains(l)) {
                return refuse(Rejection.UNKNOWN_LOCATION, "No location '" + l + "'");
            }
        }
        // Java 17 has no pattern switch: the chain covers every permitted type of the sealed interface.
        if (event instanceof Received r) {
            return change(MovementKind.RECEIVED, r.location(), r.quantity(), 0, true);
        }
        if (event instanceof Counted c) {
            int current = stock.level(new StockKey(c.sku(), c.location())).map(StockLevel::onHand).orElse(0);
            return change(MovementKind.COUNTED, c.location(), c.quantity() - current, 0, true);
        }
        if (event instanceof Adjusted a) {
            return change(MovementKind.ADJUSTED, a.location(), a.delta(), 0, a.delta() > 0);
        }
        if (event instanceof Shipped s) {
            return ship(s);
        }
        if (event instanceof Transferred t) {
            Optional<Refusal> out = change(MovementKind.TRANSFERRED, t.from(), -t.quantity(), 0, false);
            return out.isPresent() ? out : change(MovementKind.TRANSFERRED, t.to(), t.quantity(), 0, true);
        }
        throw new IllegalStateException("No rules for " + event.type());
    }

    /** The changes of the event, one ledger row each; valid after {@link #run} found nothing wrong. */
    List<Movement> movements() {
        return movements;
    }

    /**
     * The stock levels that the committed event left with less on hand than they promised. Only shrinkage (a count,
     * an adjustment, a transfer out) can do that; a shipment takes its quantity from what was committed.
     */
    List<StockLevel> oversold() {
        if (event instanceof Shipped) {
            return List.of();
        }
        return movements.stream().filter(m -> m.onHandDelta() < 0)
                .map(m -> stock.level(m.key()).orElseThrow())
                .filter(l -> l.onHand() < (long) l.reserved() + l.committed())
                .toList();
    }

    private Optional<Refusal> ship(Shipped s) {
        ShippingOrder order = orders.get(s.reservationId());
        if (order == null) {
            return refuse(Rejection.UNKNOWN_RESERVATION, "No reservation " + s.reservationId());
        }
        if (!order.committed()) {
            return refuse(Rejection.RESERVATION_NOT_COMMITTED, "Reservation " + s.reservationId()
                    + " is not COMMITTED");
        }
        int unshipped = order.unshipped(new StockKey(s.sku(), s.location())).orElse(-1);
        if (unshipped < 0) {
            return refuse(Rejection.UNKNOWN_RESERVATION_LINE, "Reservation " + s.reservationId()
                    + " has no line for " + s.sku() + " at " + s.location());
        }
        if (s.quantity() > unshipped) {
            return refuse(Rejection.SHIPPED_EXCEEDS_COMMITTED, "Shipped " + s.quantity() + " but only " + unshipped
                    + " committed and not yet shipped on this line");
        }
        return change(MovementKind.SHIPPED, s.location(), -s.quantity(), -s.quantity(), false);
    }

    private Optional<Refusal> change(MovementKind kind, String location, int onHandDelta, int committedDelta,
                                     boolean mayCreate) {
        String sku = event.sku();
        StockKey key = new StockKey(sku, location);
        Optional<StockLevel> level = stock.level(key);
        if (level.isEmpty() && !mayCreate) {
            return refuse(Rejection.UNKNOWN_STOCK_LEVEL, "No stock of " + sku + " at " + location);
        }
        // In long, so that an event past what a stock level can hold is refused rather than wrapped around.
        long onHand = (long) level.map(StockLevel::onHand).orElse(0) + onHandDelta;
        int committed = level.map(StockLevel::committed).orElse(0) + committedDelta;
        if (onHand > StockLevel.MAX_QUANTITY) {
            return refuse(Rejection.ON_HAND_ABOVE_LIMIT, sku + " at " + location + " has " + (onHand - onHandDelta)
                    + " on hand; " + onHandDelta + " more would pass the most a stock level holds, "
                    + StockLevel.MAX_QUANTITY);
        }
        if (onHand < 0) {
            return refuse(Rejection.ON_HAND_BELOW_ZERO, sku + " at " + location + " has " + (onHand - onHandDelta)
                    + " on hand, the event takes " + (-onHandDelta));
        }
        if (committed < 0) {
            return refuse(Rejection.SHIPPED_EXCEEDS_COMMITTED, sku + " at " + location + " has only "
                    + (committed - committedDelta) + " committed");
        }
        movements.add(Movement.ofEvent(kind, sku, location, onHandDelta, committedDelta, reservationId, event.id(),
                reason, now));
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(Rejection reason, String detail) {
        return Optional.of(new Refusal(reason, detail));
    }

    /** Makes the changes that {@link #run} computed, on the locked stock levels and the shipped order. */
    void commit() {
        for (Movement m : movements) {
            if (stock.level(m.key()).isEmpty()) {
                stock.create(m.key());
            }
            stock.apply(m);
        }
        if (event instanceof Shipped s) {
            orders.get(s.reservationId()).ship(new StockKey(s.sku(), s.location()), s.quantity());
        }
    }
}
