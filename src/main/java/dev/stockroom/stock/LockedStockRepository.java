package dev.stockroom.stock;

import dev.stockroom.platform.Sql;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Locks stock levels for a {@link LockedStock} and writes its changes back, in the caller's transaction on the write
 * pool, with a fixed number of statements whatever the number of rows: one to lock, one to write every row and its
 * ledger rows.
 */
@ApplicationScoped
class LockedStockRepository {

    /** Writes the net changes of locked rows, and appends the ledger rows of every change, in one statement. */
    private static final String WRITE_LOCKED = "WITH changed AS ("
            + " UPDATE stock_level s SET on_hand = s.on_hand + n.on_hand, reserved = s.reserved + n.reserved,"
            + "   committed = s.committed + n.committed, safety_stock = s.safety_stock + n.safety_stock,"
            + "   version = s.version + 1, updated_at = ?"
            + " FROM unnest(?::varchar[], ?::varchar[], ?::int[], ?::int[], ?::int[], ?::int[])"
            + "   AS n(sku, location, on_hand, reserved, committed, safety_stock)"
            + " WHERE s.sku = n.sku AND s.location = n.location"
            + "   AND (n.reserved <= 0 OR " + StockLevel.availableIn("s")
            + "        - (n.reserved + n.committed + n.safety_stock - n.on_hand) >= 0)"
            + " RETURNING " + StockLevelRepository.COLUMNS + "),"
            + " movement AS (" + StockLedger.INSERT + ")"
            + " SELECT * FROM changed";

    /**
     * Reserves at one stock level in one statement, which takes the row's lock itself: the row is written only if its
     * location is active and that much is available there, and its ledger row is appended only if it was.
     */
    private static final String RESERVE_ONE = "WITH changed AS ("
            + " UPDATE stock_level s SET reserved = s.reserved + ?, version = s.version + 1, updated_at = ?"
            + " FROM location l WHERE s.sku = ? AND s.location = ? AND l.code = s.location AND l.active"
            + "   AND " + StockLevel.availableIn("s") + " >= ?"
            + " RETURNING " + StockLevelRepository.COLUMNS + "),"
            + " movement AS (" + StockLedger.INSERT + " WHERE EXISTS (SELECT 1 FROM changed))"
            + " SELECT * FROM changed";

    /** Inserts created rows with what their changes came to; nothing is ever held or kept as safety stock on them. */
    private static final String INSERT_CREATED = "INSERT INTO stock_level AS s (sku, location, on_hand, committed,"
            + " version, updated_at) SELECT n.sku, n.location, n.on_hand, n.committed, 1, ?"
            + " FROM unnest(?::varchar[], ?::varchar[], ?::int[], ?::int[]) AS n(sku, location, on_hand, committed)"
            + " RETURNING " + StockLevelRepository.COLUMNS;

    private final AgroalDataSource dataSource;
    private final Event<StockLevelChanged> changed;

    LockedStockRepository(AgroalDataSource dataSource, Event<StockLevelChanged> changed) {
        this.dataSource = dataSource;
        this.changed = changed;
    }

    /**
     * Locks the stock levels at {@code keys} and every stock level of {@code wholeSkus}, in the one lock order, with
     * their locations' sourcing facts. Keys without a stock level are absent.
     */
    LockedStock lock(Collection<StockKey> keys, Collection<String> wholeSkus) throws SQLException {
        List<String> skus = new ArrayList<>(keys.size() + wholeSkus.size());
        List<String> locations = new ArrayList<>(keys.size() + wholeSkus.size());
        keys.forEach(k -> {
            skus.add(k.sku());
            locations.add(k.location());
        });
        wholeSkus.forEach(sku -> {
            skus.add(sku);
            locations.add(null);
        });
        if (skus.isEmpty()) {
            return LockedStock.of(List.of());
        }
        try (Connection c = dataSource.getConnection()) {
            // A null location asks for every location of the SKU. A row asked for twice is locked once and listed
            // twice; LockedStock keeps one.
            return LockedStock.of(Sql.query(c, "SELECT " + StockLevelRepository.COLUMNS + ", l.active, l.priority"
                    + " FROM stock_level s JOIN location l ON l.code = s.location"
                    + " JOIN unnest(?::varchar[], ?::varchar[]) AS k(sku, location)"
                    + "   ON s.sku = k.sku AND (k.location IS NULL OR s.location = k.location)"
                    + " ORDER BY " + StockKey.lockOrderIn("s") + " FOR UPDATE OF s",
                    rs -> new LockedStock.Locked(StockLevelRepository.map(rs), rs.getBoolean("active"),
                            rs.getInt("priority")),
                    (Object) skus.toArray(String[]::new), (Object) locations.toArray(String[]::new)));
        }
    }

    /**
     * Inserts the rows {@link LockedStock#create} added, then writes each changed locked row once with its net
     * change and appends one ledger row per change, in one statement. A row whose reserved quantity goes up is
     * written only if that leaves nothing oversold; the CHECK constraints refuse any quantity below zero. Either
     * refusal fails the statement and so the caller's transaction: it would mean a decision was taken on quantities
     * that were not locked.
     *
     * @return the rows as written, each announced as a {@link StockLevelChanged}
     */
    List<StockLevel> write(LockedStock stock, Instant now) throws SQLException {
        Collection<LockedStock.NetChange> net = stock.netChanges();
        List<StockLevel> created = stock.created();
        List<Movement> movements = stock.movements();
        if (movements.isEmpty()) {
            return List.of();
        }
        List<StockLevel> written = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            if (!created.isEmpty()) {
                // Before the ledger rows of the same changes, which name these stock levels.
                written.addAll(Sql.query(c, INSERT_CREATED, StockLevelRepository::map, now,
                        column(created, StockLevel::sku, String[]::new),
                        column(created, StockLevel::location, String[]::new),
                        column(created, StockLevel::onHand, Integer[]::new),
                        column(created, StockLevel::committed, Integer[]::new)));
            }
            List<Object> params = new ArrayList<>();
            params.add(now);
            params.add(column(net, n -> n.key().sku(), String[]::new));
            params.add(column(net, n -> n.key().location(), String[]::new));
            params.add(column(net, LockedStock.NetChange::onHand, Integer[]::new));
            params.add(column(net, LockedStock.NetChange::reserved, Integer[]::new));
            params.add(column(net, LockedStock.NetChange::committed, Integer[]::new));
            params.add(column(net, LockedStock.NetChange::safetyStock, Integer[]::new));
            params.add(now);
            params.addAll(StockLedger.columns(movements));
            List<StockLevel> updated = Sql.query(c, WRITE_LOCKED, StockLevelRepository::map, params.toArray());
            if (updated.size() != net.size()) {
                throw new IllegalStateException("Wrote " + updated.size() + " of " + net.size()
                        + " locked stock levels: a change would have oversold a row");
            }
            written.addAll(updated);
        }
        written.forEach(level -> changed.fire(new StockLevelChanged(level)));
        return written;
    }

    /**
     * Reserves {@code quantity} at {@code key} for a hold, with its ledger row, in one statement; the row stays locked
     * until the caller's transaction ends. Nothing is written when the stock level is missing, its location inactive
     * or that much not available.
     *
     * @return the row as written, announced as a {@link StockLevelChanged}; empty when nothing was written
     */
    Optional<StockLevel> reserve(StockKey key, int quantity, UUID reservationId, Instant now) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(quantity, now, key.sku(), key.location(), quantity, now));
        params.addAll(StockLedger.columns(List.of(Movement.ofHold(MovementKind.HOLD, key.sku(), key.location(),
                quantity, 0, reservationId, now))));
        List<StockLevel> written;
        try (Connection c = dataSource.getConnection()) {
            written = Sql.query(c, RESERVE_ONE, StockLevelRepository::map, params.toArray());
        }
        written.forEach(level -> changed.fire(new StockLevelChanged(level)));
        return written.stream().findFirst();
    }

    private static <T, V> V[] column(Collection<T> rows, Function<T, V> field,
                                     java.util.function.IntFunction<V[]> array) {
        return rows.stream().map(field).toArray(array);
    }
}
