package dev.stockroom.warehouse;

import dev.stockroom.reservation.Shipments;
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
import java.util.TreeMap;
import java.util.UUID;

/**
 * The rules of the warehouse events (docs/events.md): one event played on the locked state its predecessors in the
 * batch left. {@link #run} checks every rule and computes the changes without making them; {@link #commit} makes
 * them, so an event that breaks a rule on its second side (a transfer) changes nothing.
 */
final class EventPlay {

    private final WarehouseEvent event;
    private final Map<StockKey, Level> state;
    private final Set<String> knownLocations;
    private final Map<UUID, Shipments.Order> orders;
    private final Instant now;
    private final UUID reservationId;
    private final String reason;
    private final List<Movement> movements = new ArrayList<>();
    private final List<Level> touched = new ArrayList<>();
    private final Map<StockKey, Delta> deltas = new TreeMap<>();

    EventPlay(WarehouseEvent event, Map<StockKey, Level> state, Set<String> knownLocations,
              Map<UUID, Shipments.Order> orders, Instant now) {
        this.event = event;
        this.state = state;
        this.knownLocations = knownLocations;
        this.orders = orders;
        this.now = now;
        this.reservationId = event instanceof Shipped s ? s.reservationId() : null;
        this.reason = event instanceof Adjusted a ? a.reason() : null;
    }

    /** What one event changes on one stock level. */
    private record Delta(int onHand, int committed) {
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
            Level level = state.get(new StockKey(c.sku(), c.location()));
            int current = level == null ? 0 : level.onHand;
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

    /** The ledger rows of the event; valid after {@link #run} found nothing wrong. */
    List<Movement> movements() {
        return movements;
    }

    /** The stock levels the committed event left with less on hand than they promised (shrinkage). */
    List<Level> oversold() {
        return touched.stream().filter(Level::oversold).toList();
    }

    private Optional<Refusal> ship(Shipped s) {
        Shipments.Order order = orders.get(s.reservationId());
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
        Level level = state.get(key);
        if (level == null && !mayCreate) {
            return refuse(Rejection.UNKNOWN_STOCK_LEVEL, "No stock of " + sku + " at " + location);
        }
        // In long, so that an event past what a stock level can hold is refused rather than wrapped around.
        long onHand = (long) (level == null ? 0 : level.onHand) + onHandDelta;
        int committed = (level == null ? 0 : level.committed) + committedDelta;
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
        deltas.put(key, new Delta(onHandDelta, committedDelta));
        movements.add(Movement.ofEvent(kind, sku, location, onHandDelta, committedDelta, reservationId, event.id(),
                reason, now));
        return Optional.empty();
    }

    private static Optional<Refusal> refuse(Rejection reason, String detail) {
        return Optional.of(new Refusal(reason, detail));
    }

    /** Makes the changes that {@link #run} computed. */
    void commit() {
        for (Map.Entry<StockKey, Delta> d : deltas.entrySet()) {
            Level level = state.computeIfAbsent(d.getKey(), k -> new Level(
                    new StockLevel(k.sku(), k.location(), 0, 0, 0, 0, 0, null), true));
            level.onHand += d.getValue().onHand();
            level.committed += d.getValue().committed();
            level.changed = true;
            if (d.getValue().onHand() < 0 && !(event instanceof Shipped)) {
                // Shrinkage (a count, an adjustment, a transfer out) can leave less than was promised.
                touched.add(level);
            }
        }
        if (event instanceof Shipped s) {
            orders.get(s.reservationId()).ship(new StockKey(s.sku(), s.location()), s.quantity());
        }
    }

    /** A stock level being played on: the locked row, or a new one. */
    static final class Level {
        final StockKey key;
        final StockLevel base;
        final boolean created;
        int onHand;
        int committed;
        boolean changed;

        Level(StockLevel level, boolean created) {
            this.key = StockKey.of(level);
            this.base = level;
            this.created = created;
            this.onHand = level.onHand();
            this.committed = level.committed();
        }

        boolean oversold() {
            return onHand < base.reserved() + committed;
        }

        StockLevel snapshot() {
            return new StockLevel(key.sku(), key.location(), onHand, base.reserved(), committed, base.safetyStock(),
                    base.version(), base.updatedAt());
        }
    }
}
