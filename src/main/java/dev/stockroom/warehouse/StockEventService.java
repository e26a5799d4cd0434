package dev.stockroom.warehouse;

import dev.stockroom.reservation.ReservationService;
import dev.stockroom.reservation.ShippingOrder;
import dev.stockroom.stock.LockedStock;
import dev.stockroom.stock.StockKey;
import dev.stockroom.stock.StockLevel;
import dev.stockroom.stock.StockService;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Applies a batch of warehouse events in the caller's transaction, with a fixed number of set-based statements
 * whatever the batch size.
 *
 * <p>How: claim the events by (source, id) (applied ones drop out as duplicates), lock the reservations that
 * shipments name, then ask {@code stock} to lock the stock levels the batch touches in the lock order of every
 * writer ({@link StockKey}). Under those locks the events are played in partition order on the locked quantities
 * ({@link EventPlay}), so each event is judged against the state its predecessors left, exactly as if they had been
 * applied one at a time. {@code stock} then writes each touched row once, with its ledger rows.
 * Reading and then writing is safe here only because every row read is locked until commit; holds wait for the
 * batch and then decide on its result.
 */
@ApplicationScoped
class StockEventService {

    private final EventDecisions decisions;
    private final StockService stock;
    private final ReservationService reservations;
    private final Clock clock;

    StockEventService(EventDecisions decisions, StockService stock, ReservationService reservations, Clock clock) {
        this.decisions = decisions;
        this.stock = stock;
        this.reservations = reservations;
        this.clock = clock;
    }

    /**
     * What a batch came to.
     *
     * @param rejected events set aside, with why
     * @param oversold events after which a stock level had less on hand than reserved + committed
     */
    record Outcome(int applied, int duplicates, List<DeadLetter> rejected, List<Oversold> oversold) {
    }

    /** A stock level left with less on hand than it promised, and the event that did it. */
    record Oversold(String eventId, StockLevel level) {
    }

    /**
     * Applies the events, in their order, in the caller's transaction. An event already applied is a duplicate; one
     * rejected before, or earlier in this batch, is judged again.
     */
    Outcome apply(List<WarehouseEvent> events) throws SQLException {
        Instant now = clock.instant();
        Set<EventKey> claimed = decisions.claim(events.stream().map(WarehouseEvent::key).distinct().toList());
        List<WarehouseEvent> fresh = events.stream().filter(e -> claimed.contains(e.key())).toList();
        Set<String> knownLocations = knownLocations(fresh);
        Map<UUID, ShippingOrder> orders = reservations.lockForShipping(fresh.stream()
                .filter(e -> e instanceof WarehouseEvent.Shipped)
                .map(e -> ((WarehouseEvent.Shipped) e).reservationId()).toList());
        LockedStock locked = stock.lock(touched(fresh), List.of());

        List<DeadLetter> rejected = new ArrayList<>();
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
            EventPlay play = new EventPlay(event, locked, knownLocations, orders, now);
            Optional<Refusal> refusal = play.run();
            decided.put(event.key(), refusal.isEmpty());
            if (refusal.isPresent()) {
                rejected.add(DeadLetter.of(refusal.get(), event.key(), event.record()));
            } else {
                play.commit();
                play.oversold().forEach(level -> oversold.add(new Oversold(event.id(), level)));
            }
        }
        stock.write(locked, now);
        reservations.recordShipments(orders.values(), now);
        decisions.reject(decided.entrySet().stream().filter(d -> !d.getValue()).map(Map.Entry::getKey).toList());
        return new Outcome(played - rejected.size(), events.size() - played, rejected, oversold);
    }

    private Set<String> knownLocations(List<WarehouseEvent> events) throws SQLException {
        Set<String> named = new TreeSet<>();
        events.forEach(e -> named.addAll(e.locations()));
        return stock.knownLocations(named);
    }

    private static Set<StockKey> touched(List<WarehouseEvent> events) {
        Set<StockKey> keys = new TreeSet<>();
        for (WarehouseEvent e : events) {
            e.locations().forEach(l -> keys.add(new StockKey(e.sku(), l)));
        }
        return keys;
    }
}
