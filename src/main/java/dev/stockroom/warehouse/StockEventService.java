package dev.stockroom.warehouse;

import dev.stockroom.platform.Sql;
import dev.stockroom.reservation.Shipments;
import dev.stockroom.stock.Movement;
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
import java.util.Optional;
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
class StockEventService {

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
        Map<UUID, Shipments.Order> orders = shipments.lock(fresh.stream()
                .filter(e -> e instanceof WarehouseEvent.Shipped)
                .map(e -> ((WarehouseEvent.Shipped) e).reservationId()).toList());
        Map<StockKey, EventPlay.Level> state = new TreeMap<>();
        levels.lockAll(touched(fresh)).forEach(l -> state.put(StockKey.of(l), new EventPlay.Level(l, false)));

        List<Movement> movements = new ArrayList<>();
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
            EventPlay play = new EventPlay(event, state, knownLocations, orders, now);
            Optional<Refusal> refusal = play.run();
            decided.put(event.key(), refusal.isEmpty());
            if (refusal.isPresent()) {
                rejected.add(DeadLetter.of(refusal.get(), event.key(), event.record()));
            } else {
                play.commit();
                movements.addAll(play.movements());
                play.oversold().forEach(l -> oversold.add(new Oversold(event.id(), l.snapshot())));
            }
        }
        List<EventPlay.Level> changed = state.values().stream().filter(l -> l.changed).toList();
        levels.writeAll(changed.stream().map(EventPlay.Level::snapshot).toList(),
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
            named.addAll(e.locations());
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
            e.locations().forEach(l -> keys.add(new StockKey(e.sku(), l)));
        }
        return keys;
    }
}
