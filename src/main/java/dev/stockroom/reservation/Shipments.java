package dev.stockroom.reservation;

import dev.stockroom.platform.Sql;
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
        final Map<String, int[]> lines = new LinkedHashMap<>();
        boolean changed;

        Order(UUID id, ReservationStatus status) {
            this.id = id;
            this.status = status;
        }

        public boolean committed() {
            return status == ReservationStatus.COMMITTED;
        }

        /** What is left to ship of the line at (sku, location); empty if the reservation has no such line. */
        public Optional<Integer> unshipped(String sku, String location) {
            int[] line = lines.get(sku + '@' + location);
            return line == null ? Optional.empty() : Optional.of(line[0] - line[1]);
        }

        /** Notes that {@code quantity} of the line shipped; the caller checked {@link #unshipped} first. */
        public void ship(String sku, String location, int quantity) {
            lines.get(sku + '@' + location)[1] += quantity;
            changed = true;
        }

        boolean fulfilled() {
            return lines.values().stream().allMatch(l -> l[0] == l[1]);
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
                                rs.getString("sku") + '@' + rs.getString("location"),
                                new int[] {rs.getInt("quantity"), rs.getInt("shipped")});
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
                for (Map.Entry<String, int[]> line : order.lines.entrySet()) {
                    String[] key = line.getKey().split("@", 2);
                    Sql.update(c, "UPDATE reservation_line SET shipped = ? WHERE reservation_id = ? AND sku = ?"
                            + " AND location = ?", line.getValue()[1], order.id, key[0], key[1]);
                }
                if (order.fulfilled()) {
                    Sql.update(c, "UPDATE reservation SET status = 'FULFILLED', updated_at = ? WHERE id = ?",
                            now, order.id);
                }
            }
        }
    }
}
