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
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Stock levels on the write pool (the ORM's Agroal datasource). Called inside the caller's transaction: within a
 * JTA transaction Agroal hands out the one connection enlisted in it, so these statements share it with Hibernate.
 *
 * <p>Nothing here sells: holds, commits, releases and expiries go through {@link LockedStock}, which decides on
 * rows this transaction has locked.
 */
@ApplicationScoped
class StockLevelRepository {

    /** The columns {@link #map} reads, of stock_level {@code s}: every statement that reads a row names it so. */
    static final String COLUMNS =
            "s.sku, s.location, s.on_hand, s.reserved, s.committed, s.safety_stock, s.version, s.updated_at";

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

    /** A stock level locked for a change, and whether locking it created it. */
    record Locked(StockLevel level, boolean created) {
    }

    /** Locks the stock level for a correction, creating it (all zero) if the SKU is new at the location. */
    Locked lockForCorrection(String sku, String location, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            int inserted = Sql.update(c, "INSERT INTO stock_level (sku, location, updated_at) VALUES (?, ?, ?)"
                    + " ON CONFLICT (sku, location) DO NOTHING", sku, location, now);
            StockLevel level = Sql.query(c, "SELECT " + COLUMNS + " FROM stock_level s"
                    + " WHERE s.sku = ? AND s.location = ? FOR UPDATE",
                    StockLevelRepository::map, sku, location).get(0);
            return new Locked(level, inserted == 1);
        }
    }

    StockLevel set(String sku, String location, int onHand, int safetyStock, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Sql.query(c, "UPDATE stock_level s SET on_hand = ?, safety_stock = ?, version = s.version + 1,"
                    + " updated_at = ? WHERE s.sku = ? AND s.location = ? RETURNING " + COLUMNS,
                    StockLevelRepository::map, onHand, safetyStock, now, sku, location).stream()
                    .findFirst().map(this::announce).orElseThrow();
        }
    }

    /** The codes among {@code codes} that name a location, in plain JDBC on the caller's transaction. */
    Set<String> knownLocations(Collection<String> codes) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return new HashSet<>(Sql.query(c, "SELECT code FROM location WHERE code = ANY(?)", rs -> rs.getString(1),
                    (Object) codes.toArray(String[]::new)));
        }
    }

    /** Stock levels of the given SKUs at every location, in sourcing order. */
    List<StockLevel> find(Collection<String> skus) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return Sql.query(c, "SELECT " + COLUMNS
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
