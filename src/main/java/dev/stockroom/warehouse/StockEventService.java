package dev.stockroom.warehouse;

import dev.stockroom.platform.Sql;
import dev.stockroom.reservation.Shipments;
import dev.stockroom.stock.Movement;
import dev.stockroom.stock.MovementKind;
import dev.stockroom.stock.StockKey;
import dev.stockroom.stock.StockLedger;
import dev.stockroom.stock.StockLevel;
import dev.stockroom.stock.StockLevelRepository;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Applies a batch of warehouse events in the caller's transaction, with a fixed number of set-based statements
 * whatever the batch size.
 *
 * <p>How: claim the events by (source, id) (applied ones drop out as duplicates), lock the reservations that
 * shipments name, then lock the stock levels the batch touches in the lock order of every writer
 * ({@link StockKey}). Under those locks the events are played in partition
 * order on the locked quantities, so each event is judged against the state its predecessors left, exactly as if
 * they had been applied one at a time. The result is written back in one update, one insert and one ledger batch.
 * Reading and then writing is safe here only because every row read is locked until commit; holds wait for the
 * batch and then decide on its result with their own conditional update.
 */
@ApplicationScoped
public class StockEventService {

    private final AgroalDataSource dataSource;
    private final EventDecisions decisions;
    private final StockLevelRepository levels;
    private final StockLedger ledger;
    private final Shipments shipments;
    private final Clock clock;

    StockEventService(AgroalDataSource dataSource, EventDecisions decisions, StockLevelRepository levels,
                      StockLedger ledger, Shipments shipments, Clock clock) {
        this.dataSource = dataSource;
        this.decisions = decisions;
        this.levels = levels;
        this.ledger = ledger;
        this.shipments = shipments;
        this.clock = clock;
    }

    /**
     * What a batch came to.
     *
     * @param rejected events set aside, with why
     * @param oversold events after which a stock level had less on hand than reserved + committed
     */
    public record Outcome(int applied, int duplicates, List<Rejection> rejected, List<Oversold> oversold) {
    }

    /** A stock level left with less on hand than it promised, and the event that did it. */
    public record Oversold(String eventId, StockLevel level) {
    }

    /**
     * Applies the events, in their order, in the caller's transaction. An event already applied is a duplicate; one
     * rejected before, or earlier in this batch, is judged again.
     */
    public Outcome apply(List<WarehouseEvent> events) throws SQLException {
        Instant now = clock.instant();
        Set<EventKey> claimed = decisions.claim(events.stream().map(WarehouseEvent::key).distinct().toList());
        List<WarehouseEvent> fresh = events.stream().filter(e -> claimed.contains(e.key())).toList();
        Set<String> knownLocations = knownLocations(fresh);
        Map<UUID, Shipments.Order> orders = shipments.lock(fresh.stream()
                .map(WarehouseEvent::reservationId).filter(Objects::nonNull).toList());
        Map<StockKey, Level> state = new TreeMap<>();
        levels.lockAll(touched(fresh)).forEach(l -> state.put(StockKey.of(l), new Level(l, false)));

        List<Movement> movements = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        List<Oversold> oversold = new ArrayList<>();
        // The last decision about each event in this batch: true once applied, after which it is a duplicate.
        Map<EventKey, Boolean> decided = new LinkedHashMap<>();
        int played = 0;
        for (WarehouseEvent event : fresh) {
            if (decided.getOrDefault(event.key(), false)) {
                continue;
            }
            played++;
            // Each event is judged on the state its predecessors in the batch left.
            Play play = new Play(event, state, knownLocations, orders, now);
            String refusal = play.run();
            decided.put(event.key(), refusal == null);
            if (refusal != null) {
                rejected.add(new Rejection(refusal.substring(0, refusal.indexOf(':')),
                        refusal.substring(refusal.indexOf(':') + 1).trim(), event.key(), event.record()));
            } else {
                play.commit();
                movements.addAll(play.movements);
                play.touched.stream().filter(Level::oversold)
                        .forEach(l -> oversold.add(new Oversold(event.id(), l.snapshot())));
            }
        }
        List<Level> changed = state.values().stream().filter(l -> l.changed).toList();
        levels.writeAll(changed.stream().map(Level::snapshot).toList(),
                changed.stream().filter(l -> l.created).map(l -> l.key).collect(java.util.stream.Collectors.toSet()),
                now);
        ledger.record(movements, now);
        shipments.record(orders.values(), now);
        decisions.reject(decided.entrySet().stream().filter(d -> !d.getValue()).map(Map.Entry::getKey).toList());
        return new Outcome(played - rejected.size(), events.size() - played, rejected, oversold);
    }

    private Set<String> knownLocations(List<WarehouseEvent> events) throws SQLException {
        Set<String> named = new TreeSet<>();
        for (WarehouseEvent e : events) {
            for (String l : new String[] {e.location(), e.from(), e.to()}) {
                if (l != null) {
                    named.add(l);
                }
            }
        }
        if (named.isEmpty()) {
            return Set.of();
        }
        try (Connection c = dataSource.getConnection()) {
            return new HashSet<>(Sql.query(c, "SELECT code FROM location WHERE code = ANY(?)", rs -> rs.getString(1),
                    (Object) named.toArray(String[]::new)));
        }
    }

    private static Set<StockKey> touched(List<WarehouseEvent> events) {
        Set<StockKey> keys = new TreeSet<>();
        for (WarehouseEvent e : events) {
            if (e.type() == EventType.TRANSFERRED) {
                keys.add(new StockKey(e.sku(), e.from()));
                keys.add(new StockKey(e.sku(), e.to()));
            } else {
                keys.add(new StockKey(e.sku(), e.location()));
            }
        }
        return keys;
    }

    /** A stock level being played on: the locked row, or a new one. */
    private static final class Level {
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

    /** One event played on the state; nothing is changed unless it passes every rule, then {@link #commit}. */
    private static final class Play {
        final WarehouseEvent event;
        final Map<StockKey, Level> state;
        final Set<String> knownLocations;
        final Map<UUID, Shipments.Order> orders;
        final Instant now;
        final List<Movement> movements = new ArrayList<>();
        final List<Level> touched = new ArrayList<>();
        final Map<StockKey, int[]> deltas = new TreeMap<>();

        Play(WarehouseEvent event, Map<StockKey, Level> state, Set<String> knownLocations,
             Map<UUID, Shipments.Order> orders, Instant now) {
            this.event = event;
            this.state = state;
            this.knownLocations = knownLocations;
            this.orders = orders;
            this.now = now;
        }

        /** Checks the rules and computes the deltas; returns "reason: detail" if the event must be rejected. */
        String run() {
            for (String l : new String[] {event.location(), event.from(), event.to()}) {
                if (l != null && !knownLocations.contains(l)) {
                    return "unknown-location: No location '" + l + "'";
                }
            }
            String sku = event.sku();
            return switch (event.type()) {
                case RECEIVED -> change(MovementKind.RECEIVED, event.location(), event.quantity(), 0, true);
                case COUNTED -> {
                    Level level = state.get(new StockKey(sku, event.location()));
                    int current = level == null ? 0 : level.onHand;
                    yield change(MovementKind.COUNTED, event.location(), event.quantity() - current, 0, true);
                }
                case ADJUSTED -> change(MovementKind.ADJUSTED, event.location(), event.delta(), 0, event.delta() > 0);
                case SHIPPED -> ship();
                case TRANSFERRED -> {
                    String out = change(MovementKind.TRANSFERRED, event.from(), -event.quantity(), 0, false);
                    yield out != null ? out
                            : change(MovementKind.TRANSFERRED, event.to(), event.quantity(), 0, true);
                }
            };
        }

        private String ship() {
            Shipments.Order order = orders.get(event.reservationId());
            if (order == null) {
                return "unknown-reservation: No reservation " + event.reservationId();
            }
            if (!order.committed()) {
                return "reservation-not-committed: Reservation " + event.reservationId() + " is not COMMITTED";
            }
            int unshipped = order.unshipped(event.sku(), event.location()).orElse(-1);
            if (unshipped < 0) {
                return "unknown-reservation-line: Reservation " + event.reservationId() + " has no line for "
                        + event.sku() + " at " + event.location();
            }
            if (event.quantity() > unshipped) {
                return "shipped-exceeds-committed: Shipped " + event.quantity() + " but only " + unshipped
                        + " committed and not yet shipped on this line";
            }
            return change(MovementKind.SHIPPED, event.location(), -event.quantity(), -event.quantity(), false);
        }

        private String change(MovementKind kind, String location, int onHandDelta, int committedDelta,
                              boolean mayCreate) {
            StockKey key = new StockKey(event.sku(), location);
            Level level = state.get(key);
            if (level == null && !mayCreate) {
                return "unknown-stock-level: No stock of " + event.sku() + " at " + location;
            }
            // In long, so that an event past what a stock level can hold is refused rather than wrapped around.
            long onHand = (long) (level == null ? 0 : level.onHand) + onHandDelta;
            int committed = (level == null ? 0 : level.committed) + committedDelta;
            if (onHand > StockLevel.MAX_QUANTITY) {
                return "on-hand-above-limit: " + event.sku() + " at " + location + " has " + (onHand - onHandDelta)
                        + " on hand; " + onHandDelta + " more would pass the most a stock level holds, "
                        + StockLevel.MAX_QUANTITY;
            }
            if (onHand < 0) {
                return "on-hand-below-zero: " + event.sku() + " at " + location + " has " + (onHand - onHandDelta)
                        + " on hand, the event takes " + (-onHandDelta);
            }
            if (committed < 0) {
                return "shipped-exceeds-committed: " + event.sku() + " at " + location + " has only "
                        + (committed - committedDelta) + " committed";
            }
            deltas.put(key, new int[] {onHandDelta, committedDelta});
            movements.add(Movement.ofEvent(kind, event.sku(), location, onHandDelta, committedDelta,
                    event.reservationId(), event.id(), event.reason(), now));
            return null;
        }

        void commit() {
            for (Map.Entry<StockKey, int[]> d : deltas.entrySet()) {
                Level level = state.computeIfAbsent(d.getKey(), k -> new Level(
                        new StockLevel(k.sku(), k.location(), 0, 0, 0, 0, 0, null), true));
                level.onHand += d.getValue()[0];
                level.committed += d.getValue()[1];
                level.changed = true;
                if (d.getValue()[0] < 0 && event.type() != EventType.SHIPPED) {
                    // Shrinkage (a count, an adjustment, a transfer out) can leave less than was promised.
                    touched.add(level);
                }
            }
            if (event.type() == EventType.SHIPPED) {
                orders.get(event.reservationId()).ship(event.sku(), event.location(), event.quantity());
            }
        }
    }
}
