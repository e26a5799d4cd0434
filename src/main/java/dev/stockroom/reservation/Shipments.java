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
import java.util.UUID;

/**
 * Reads and writes what has shipped of committed reservations, in the caller's transaction. A reservation whose
 * lines have all shipped becomes FULFILLED.
 *
 * <p>Reservations are locked before any stock level, the order that commit, release and the expiry sweeper follow.
 */
@ApplicationScoped
class Shipments {

    private final AgroalDataSource dataSource;

    Shipments(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Locks the given reservations (in id order) and loads their lines; unknown ids are absent. */
    Map<UUID, ShippingOrder> lock(Collection<UUID> ids) throws SQLException {
        Map<UUID, ShippingOrder> orders = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return orders;
        }
        UUID[] sorted = ids.stream().distinct().sorted().toArray(UUID[]::new);
        try (Connection c = dataSource.getConnection()) {
            Sql.query(c, "SELECT id, status FROM reservation WHERE id = ANY(?) ORDER BY id FOR UPDATE",
                    rs -> new ShippingOrder(rs.getObject("id", UUID.class), ReservationStatus.valueOf(rs.getString(
                            "status"))),
                    (Object) sorted).forEach(o -> orders.put(o.id, o));
            Sql.query(c, "SELECT reservation_id, sku, location, quantity, shipped FROM reservation_line"
                    + " WHERE reservation_id = ANY(?)",
                    rs -> {
                        orders.get(rs.getObject("reservation_id", UUID.class)).lines.put(
                                new StockKey(rs.getString("sku"), rs.getString("location")),
                                new ShippingOrder.Line(rs.getInt("quantity"), rs.getInt("shipped")));
                        return null;
                    }, (Object) sorted);
        }
        return orders;
    }

    /** Writes the shipped quantities of changed orders, and marks those shipped in full FULFILLED. */
    void record(Collection<ShippingOrder> orders, Instant now) throws SQLException {
        List<ShippingOrder> changed = orders.stream().filter(o -> o.changed).toList();
        if (changed.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection()) {
            for (ShippingOrder order : changed) {
                for (Map.Entry<StockKey, ShippingOrder.Line> line : order.lines.entrySet()) {
                    Sql.update(c, "UPDATE reservation_line SET shipped = ? WHERE reservation_id = ? AND sku = ?"
                            + " AND location = ?", line.getValue().shipped(), order.id, line.getKey().sku(),
                            line.getKey().location());
                }
                if (order.fulfilled()) {
                    Sql.update(c, "UPDATE reservation SET status = ?, updated_at = ? WHERE id = ?",
                            ReservationStatus.FULFILLED.name(), now, order.id);
                }
            }
        }
    }
}
