package dev.stockroom.reservation;

import dev.stockroom.platform.Sql;
import dev.stockroom.stock.StockKey;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Records shipments against committed reservations, in the caller's transaction. A reservation whose lines have
 * all shipped becomes FULFILLED.
 *
 * <p>Reservations are locked before any stock level, the order that commit, release and the expiry sweeper follow.
 */
@ApplicationScoped
public class Shipments {

    private final AgroalDataSource dataSource;

    Shipments(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A reservation as shipping sees it: its status and, per (sku, location), what is committed and shipped. */
    public static final class Order {
        final UUID id;
        final ReservationStatus status;
        final Map<StockKey, Line> lines = new LinkedHashMap<>();
        boolean changed;

        Order(UUID id, ReservationStatus status) {
            this.id = id;
            this.status = status;
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

    /** A reservation line as shipping sees it: what was committed, and how much of it has shipped. */
    record Line(int quantity, int shipped) {
        Line ship(int more) {
            return new Line(quantity, shipped + more);
        }
    }

    /** Locks the given reservations (in id order) and loads their lines; unknown ids are absent. */
    public Map<UUID, Order> lock(Collection<UUID> ids) throws SQLException {
        Map<UUID, Order> orders = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return orders;
        }
        UUID[] sorted = ids.stream().distinct().sorted().toArray(UUID[]::new);
        try (Connection c = dataSource.getConnection()) {
            Sql.query(c, "SELECT id, status FROM reservation WHERE id = ANY(?) ORDER BY id FOR UPDATE",
                    rs -> new Order(rs.getObject("id", UUID.class), ReservationStatus.valueOf(rs.getString("status"))),
                    (Object) sorted).forEach(o -> orders.put(o.id, o));
            Sql.query(c, "SELECT reservation_id, sku, location, quantity, shipped FROM reservation_line"
                            + " WHERE reservation_id = ANY(?)",
                    rs -> {
                        orders.get(rs.getObject("reservation_id", UUID.class)).lines.put(
                                new StockKey(rs.getString("sku"), rs.getString("location")),
                                new Line(rs.getInt("quantity"), rs.getInt("shipped")));
                        return null;
                    }, (Object) sorted);
        }
        return orders;
    }

    /** Writes the shipped quantities of changed orders, and marks those shipped in full FULFILLED. */
    public void record(Collection<Order> orders, Instant now) throws SQLException {
        List<Order> changed = orders.stream().filter(o -> o.changed).toList();
        if (changed.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            for (Order order : changed) {
                for (Map.Entry<StockKey, Line> line : order.lines.entrySet()) {
                    Sql.update(c, "UPDATE reservation_line SET shipped = ? WHERE reservation_id = ? AND sku = ?"
                            + " AND location = ?", line.getValue().shipped(), order.id, line.getKey().sku(),
                            line.getKey().location());
                }
                if (order.fulfilled()) {
                    Sql.update(c, "UPDATE reservation SET status = 'FULFILLED', updated_at = ? WHERE id = ?",
                            now, order.id);
                }
            }
        }
    }
}
