package dev.stockroom.stock;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Stock levels that the current transaction has locked, in the one lock order, and the changes a writer decides on
 * them in memory. {@link StockService#write} writes them back once: each row with its net change, guarded in SQL,
 * and one ledger row per change.
 *
 * <p>Reading a quantity and then writing one is safe here, and only here, because every row read stays locked
 * until the transaction ends: no other writer can change it in between.
 *
 * <p><b>Note:</b> not thread-safe; it belongs to the one transaction that locked the rows.
 */
public final class LockedStock {

    /**
     * Where a line without a location is held: among the active locations that can cover it, the lowest priority
     * number first, then the most available, then the location code.
     */
    private static final Comparator<Row> SOURCING = Comparator.<Row>comparingInt(r -> r.priority)
            .thenComparing(Comparator.<Row>comparingInt(Row::available).reversed())
            .thenComparing(r -> r.level.location(), StockKey.BYTE_ORDER);

    /** A locked stock level with what sourcing needs to know of its location. */
    public record Locked(StockLevel level, boolean active, int priority) {
    }

    private final NavigableMap<StockKey, Row> rows = new TreeMap<>();
    private final List<Movement> movements = new ArrayList<>();

    private LockedStock(Collection<Locked> locked) {
        locked.forEach(l -> rows.put(StockKey.of(l.level()), new Row(l.level(), l.active(), l.priority(), false)));
    }

    /** The given rows as locked; the caller vouches for the locks (tests build one from plain levels). */
    public static LockedStock of(Collection<Locked> locked) {
        return new LockedStock(locked);
    }

    /** The stock level at {@code key} as the changes so far left it; empty if it is neither locked nor created. */
    public Optional<StockLevel> level(StockKey key) {
        return Optional.ofNullable(rows.get(key)).map(r -> r.level);
    }

    /**
     * Adds an empty stock level at {@code key}, for goods that arrive where the SKU has never been; {@link
     * StockService#write} inserts it. If another transaction inserts the same stock level first, the write fails
     * on the primary key and the caller's transaction with it: nothing is decided on a row that was not locked.
     * Nothing is ever held on a created row (it counts as inactive here): holds are placed on locked rows only.
     *
     * @throws IllegalStateException if the stock level is locked or created already
     */
    public void create(StockKey key) {
        if (rows.containsKey(key)) {
            throw new IllegalStateException("Stock level " + key + " exists");
        }
        rows.put(key, new Row(new StockLevel(key.sku(), key.location(), 0, 0, 0, 0, 0, null), false,
                Integer.MAX_VALUE, true));
    }

    /** What can be sold at {@code key} now: nothing where there is no stock level or the location is inactive. */
    public int available(StockKey key) {
        Row row = rows.get(key);
        return row == null ? 0 : row.available();
    }

    /** The location that the sourcing rule picks for {@code quantity} of {@code sku}, if any can cover it. */
    public Optional<StockKey> source(String sku, int quantity) {
        return ofSku(sku).stream().filter(r -> r.available() >= quantity).min(SOURCING)
                .map(r -> StockKey.of(r.level));
    }

    /** The most that any one active location could hold of {@code sku} now. */
    public int mostAvailable(String sku) {
        return ofSku(sku).stream().mapToInt(Row::available).max().orElse(0);
    }

    /**
     * Reserves {@code quantity} at {@code key} for a hold and records its ledger row.
     *
     * @throws IllegalStateException if that much is not available there (see {@link #apply})
     */
    public void hold(StockKey key, int quantity, UUID reservationId, Instant at) {
        apply(Movement.ofHold(MovementKind.HOLD, key.sku(), key.location(), quantity, 0, reservationId, at));
    }

    /**
     * Applies a movement to its locked row and records it for the ledger.
     *
     * @throws IllegalStateException if the row is not locked here, or if the movement raises what is reserved
     *                               beyond what is available there: callers decide with {@link #available} first,
     *                               and this refuses to sell what is not there all the same
     */
    public void apply(Movement movement) {
        Row row = rows.get(movement.key());
        if (row == null) {
            throw new IllegalStateException("No locked stock level " + movement.key());
        }
        if (movement.reservedDelta() > 0 && row.available() < movement.reservedDelta()) {
            throw new IllegalStateException("Cannot reserve " + movement.reservedDelta() + " at " + movement.key()
                    + ": " + row.available() + " available");
        }
        row.level = row.level.plus(movement);
        movements.add(movement);
    }

    /** The rows as they stand after the changes made so far, in lock order. */
    public Collection<StockLevel> levels() {
        return rows.values().stream().map(r -> r.level).toList();
    }

    /** Every change made so far, in the order it was made. */
    public List<Movement> movements() {
        return Collections.unmodifiableList(movements);
    }

    /** The net change of every changed row that was locked (not {@link #created}), in lock order. */
    Collection<NetChange> netChanges() {
        Map<StockKey, NetChange> net = new TreeMap<>();
        for (Movement m : movements) {
            if (!rows.get(m.key()).created) {
                net.merge(m.key(), NetChange.of(m), NetChange::plus);
            }
        }
        return net.values();
    }

    /** The rows {@link #create} added, as the changes left them, in lock order. */
    List<StockLevel> created() {
        return rows.values().stream().filter(r -> r.created).map(r -> r.level).toList();
    }

    /** What all the changes of a batch to one row add up to: the row is written once, with this. */
    record NetChange(StockKey key, int onHand, int reserved, int committed, int safetyStock) {
        static NetChange of(Movement m) {
            return new NetChange(m.key(), m.onHandDelta(), m.reservedDelta(), m.committedDelta(),
                    m.safetyStockDelta());
        }

        NetChange plus(NetChange other) {
            return new NetChange(key, onHand + other.onHand, reserved + other.reserved,
                    committed + other.committed, safetyStock + other.safetyStock);
        }
    }

    private Collection<Row> ofSku(String sku) {
        return rows.subMap(StockKey.firstOf(sku), true, StockKey.firstAfter(sku), false).values();
    }

    /** One locked (or created) row as the changes so far left it. */
    private static final class Row {
        StockLevel level;
        final boolean active;
        final int priority;
        final boolean created;

        Row(StockLevel level, boolean active, int priority, boolean created) {
            this.level = level;
            this.active = active;
            this.priority = priority;
            this.created = created;
        }

        int available() {
            return level.available(active);
        }
    }
}
