package dev.stockroom.stock;

import dev.stockroom.platform.Sql;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stock levels on the write pool (the ORM's Agroal datasource). Called inside the caller's transaction: within a
 * JTA transaction Agroal hands out the one connection enlisted in it, so these statements share it with Hibernate.
 *
 * <p>Every method that can sell is a single conditional {@code UPDATE}; the database decides, under the row lock,
 * whether the quantity is there. Java never reads a quantity and then writes one.
 */
@ApplicationScoped
public class StockLevelRepository {

    private static final String AVAILABLE = available("");
    private static final String RETURNING =
            " RETURNING sku, location, on_hand, reserved, committed, safety_stock, version, updated_at";
    /** A sourced hold retries when a competitor took the chosen location between choice and lock. */
    private static final int SOURCING_ATTEMPTS = 4;

    private final AgroalDataSource dataSource;
    private final Event<StockLevelChanged> changed;

    StockLevelRepository(AgroalDataSource dataSource, Event<StockLevelChanged> changed) {
        this.dataSource = dataSource;
        this.changed = changed;
    }

    /** Announces a change; transactional observers hear of it only once the transaction commits. */
    private StockLevel announce(StockLevel level) {
        changed.fire(new StockLevelChanged(level));
        return level;
    }

    /**
     * Writes that ride on a hold's conditional update, in the same statement: a data-modifying CTE (for example
     * {@code INSERT INTO t (a, b) SELECT ?, sku FROM held}) that reads the held row from {@code held}, and its
     * parameters. When the update matches nothing, {@code held} is empty and so is what the rider writes.
     *
     * <p><b>Note:</b> it exists so that a hold's own rows are written while the stock row is locked without another
     * round trip: the row lock is then held for one statement and the commit.
     */
    public record Rider(String sql, List<Object> params) {
    }

    /**
     * Reserves {@code quantity} at {@code location} if that much is available there and the location is active.
     * The same statement appends the hold's ledger row (kind {@code HOLD}) and runs the {@code rider}.
     */
    public Optional<StockLevel> reserve(String sku, String location, int quantity, UUID reservationId, Instant now,
                                        Rider rider) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<Object> params = new ArrayList<>(List.of(quantity, now, sku, location, quantity));
            String sql = held("UPDATE stock_level s SET reserved = reserved + ?, version = version + 1, updated_at = ?"
                    + " WHERE sku = ? AND location = ? AND " + AVAILABLE + " >= ?"
                    + " AND EXISTS (SELECT 1 FROM location l WHERE l.code = s.location AND l.active)"
                    + RETURNING, quantity, reservationId, now, rider, params);
            return Sql.query(c, sql, StockLevelRepository::map, params.toArray()).stream().findFirst()
                    .map(this::announce);
        }
    }

    /**
     * Reserves {@code quantity} at one active location that can cover it: lowest priority number first, then most
     * available, then location code. The choice and the reservation are one statement (with the ledger row and
     * the {@code rider}, as in {@link #reserve}); if a competitor drained the chosen location in between, the
     * conditional update matches nothing and the choice is made again.
     */
    public Optional<StockLevel> reserveAnywhere(String sku, int quantity, UUID reservationId, Instant now, Rider rider)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            for (int attempt = 0; attempt < SOURCING_ATTEMPTS; attempt++) {
                List<Object> params = new ArrayList<>(List.of(quantity, now, sku, quantity, sku, quantity));
                String sql = held("UPDATE stock_level s SET reserved = reserved + ?, version = version + 1,"
                        + " updated_at = ? WHERE s.sku = ? AND " + AVAILABLE + " >= ? AND s.location = ("
                        + "   SELECT c.location FROM stock_level c JOIN location l ON l.code = c.location"
                        + "    WHERE c.sku = ? AND l.active AND " + available("c.") + " >= ?"
                        + "    ORDER BY l.priority, " + available("c.") + " DESC, c.location"
                        + "    LIMIT 1)" + RETURNING, quantity, reservationId, now, rider, params);
                List<StockLevel> updated = Sql.query(c, sql, StockLevelRepository::map, params.toArray());
                if (!updated.isEmpty()) {
                    return Optional.of(announce(updated.get(0)));
                }
                if (!anyCandidate(c, sku, quantity)) {
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }
    }

    /**
     * Wraps a hold's conditional update into one statement with its ledger row and rider, appending their
     * parameters to {@code params} (which holds the update's). The statement-level outbox trigger on stock_level
     * fires for the update as for a bare one.
     */
    private static String held(String update, int quantity, UUID reservationId, Instant now, Rider rider,
                               List<Object> params) {
        params.addAll(List.of(quantity, reservationId, now, now));
        params.addAll(rider.params());
        return "WITH held AS (" + update + "),"
                + " movement AS (INSERT INTO stock_movement (sku, location, kind, reserved_delta, reservation_id,"
                + " occurred_at, recorded_at) SELECT sku, location, '" + MovementKind.HOLD.name() + "', ?, ?, ?, ?"
                + " FROM held),"
                + " rider AS (" + rider.sql() + ")"
                + " SELECT * FROM held";
    }

    /**
     * What a stock level can sell, in SQL, for the table qualified by {@code prefix} ({@code ""} or {@code "c."}).
     * In bigint: promises far above what is left on hand would take an integer difference past its range, which
     * PostgreSQL refuses with an error.
     */
    private static String available(String prefix) {
        return "(" + prefix + "on_hand::bigint - " + prefix + "reserved - " + prefix + "committed - " + prefix
                + "safety_stock)";
    }

    private static boolean anyCandidate(Connection c, String sku, int quantity) throws SQLException {
        return !Sql.query(c, "SELECT 1 FROM stock_level s JOIN location l ON l.code = s.location"
                + " WHERE s.sku = ? AND l.active AND " + AVAILABLE + " >= ? LIMIT 1", rs -> 1, sku, quantity).isEmpty();
    }

    /**
     * Applies deltas that never sell anything (commit, release, expiry, cancellation). The CHECK constraints make a
     * delta that would take a quantity below zero fail the whole transaction.
     */
    public StockLevel shift(String sku, String location, int reservedDelta, int committedDelta, Instant now)
            throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Sql.query(c, "UPDATE stock_level SET reserved = reserved + ?, committed = committed + ?,"
                            + " version = version + 1, updated_at = ? WHERE sku = ? AND location = ?" + RETURNING,
                    StockLevelRepository::map, reservedDelta, committedDelta, now, sku, location).stream()
                    .findFirst()
                    .map(this::announce)
                    .orElseThrow(() -> new IllegalStateException("No stock level " + sku + "@" + location));
        }
    }

    /** A stock level locked for a change, and whether locking it created it. */
    public record Locked(StockLevel level, boolean created) {
    }

    /** Locks the stock level for a correction, creating it (all zero) if the SKU is new at the location. */
    public Locked lockForCorrection(String sku, String location, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            int inserted = Sql.update(c, "INSERT INTO stock_level (sku, location, updated_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (sku, location) DO NOTHING", sku, location, now);
            StockLevel level = Sql.query(c, "SELECT sku, location, on_hand, reserved, committed, safety_stock,"
                            + " version, updated_at FROM stock_level WHERE sku = ? AND location = ? FOR UPDATE",
                    StockLevelRepository::map, sku, location).get(0);
            return new Locked(level, inserted == 1);
        }
    }

    public StockLevel set(String sku, String location, int onHand, int safetyStock, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Sql.query(c, "UPDATE stock_level SET on_hand = ?, safety_stock = ?, version = version + 1,"
                            + " updated_at = ? WHERE sku = ? AND location = ?" + RETURNING,
                    StockLevelRepository::map, onHand, safetyStock, now, sku, location).stream()
                    .findFirst().map(this::announce).orElseThrow();
        }
    }

    /**
     * Locks the existing stock levels among {@code keys} in the lock order of every writer ({@link StockKey}: byte
     * order, whatever the database's collation), and returns them. Keys without a stock level are absent.
     */
    public List<StockLevel> lockAll(Collection<StockKey> keys) throws SQLException {
        if (keys.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            return Sql.query(c, "SELECT s.sku, s.location, s.on_hand, s.reserved, s.committed, s.safety_stock,"
                            + " s.version, s.updated_at FROM stock_level s"
                            + " JOIN unnest(?::varchar[], ?::varchar[]) AS k(key_sku, key_location)"
                            + "   ON s.sku = k.key_sku AND s.location = k.key_location"
                            + " ORDER BY " + StockKey.LOCK_ORDER_SQL + " FOR UPDATE OF s",
                    StockLevelRepository::map, (Object) keys.stream().map(StockKey::sku).toArray(String[]::new),
                    (Object) keys.stream().map(StockKey::location).toArray(String[]::new));
        }
    }

    /**
     * Writes the on-hand and committed quantities of many stock levels in two set-based statements: an update of
     * those that exist (rows the caller locked with {@link #lockAll}) and an insert of new ones. Each written row's
     * version grows by one, whatever number of events the caller folded into it.
     *
     * @param levels  the new quantities; {@code reserved}, {@code safetyStock} and {@code version} are ignored
     * @param created which of them are new
     */
    public List<StockLevel> writeAll(Collection<StockLevel> levels, java.util.Set<StockKey> created, Instant now)
            throws SQLException {
        List<StockLevel> updates = levels.stream().filter(l -> !created.contains(StockKey.of(l))).toList();
        List<StockLevel> inserts = levels.stream().filter(l -> created.contains(StockKey.of(l))).toList();
        List<StockLevel> written = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            if (!updates.isEmpty()) {
                written.addAll(Sql.query(c, "UPDATE stock_level s SET on_hand = n.on_hand, committed = n.committed,"
                                + " version = s.version + 1, updated_at = ?"
                                + " FROM unnest(?::varchar[], ?::varchar[], ?::int[], ?::int[])"
                                + "   AS n(sku, location, on_hand, committed)"
                                + " WHERE s.sku = n.sku AND s.location = n.location"
                                + " RETURNING s.sku, s.location, s.on_hand, s.reserved, s.committed, s.safety_stock,"
                                + " s.version, s.updated_at",
                        StockLevelRepository::map, now, columns(updates)[0], columns(updates)[1],
                        ints(updates, StockLevel::onHand), ints(updates, StockLevel::committed)));
            }
            if (!inserts.isEmpty()) {
                written.addAll(Sql.query(c, "INSERT INTO stock_level (sku, location, on_hand, committed, version,"
                                + " updated_at) SELECT n.sku, n.location, n.on_hand, n.committed, 1, ?"
                                + " FROM unnest(?::varchar[], ?::varchar[], ?::int[], ?::int[])"
                                + "   AS n(sku, location, on_hand, committed)" + RETURNING,
                        StockLevelRepository::map, now, columns(inserts)[0], columns(inserts)[1],
                        ints(inserts, StockLevel::onHand), ints(inserts, StockLevel::committed)));
            }
        }
        written.forEach(this::announce);
        return written;
    }

    private static Object[] columns(List<StockLevel> levels) {
        return new Object[] {levels.stream().map(StockLevel::sku).toArray(String[]::new),
                levels.stream().map(StockLevel::location).toArray(String[]::new)};
    }

    private static Object ints(List<StockLevel> levels, java.util.function.ToIntFunction<StockLevel> field) {
        return levels.stream().mapToInt(field).boxed().toArray(Integer[]::new);
    }

    /** Stock levels of the given SKUs at every location, in sourcing order. */
    public List<StockLevel> find(Collection<String> skus) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Sql.query(c, "SELECT s.sku, s.location, s.on_hand, s.reserved, s.committed, s.safety_stock,"
                            + " s.version, s.updated_at"
                            + " FROM stock_level s JOIN location l ON l.code = s.location"
                            + " WHERE s.sku = ANY(?) ORDER BY s.sku, l.priority, s.location",
                    StockLevelRepository::map, (Object) skus.toArray(String[]::new));
        }
    }

    static StockLevel map(ResultSet rs) throws SQLException {
        Timestamp updated = rs.getTimestamp("updated_at");
        return new StockLevel(rs.getString("sku"), rs.getString("location"), rs.getInt("on_hand"),
                rs.getInt("reserved"), rs.getInt("committed"), rs.getInt("safety_stock"), rs.getLong("version"),
                updated.toInstant());
    }
}
