package dev.stockroom.support;

import dev.stockroom.platform.Sql;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.ConfigProvider;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the database directly, so that tests check what was stored rather than what the API says. */
@ApplicationScoped
public class Db {

    private final AgroalDataSource dataSource;

    Db(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public long scalar(String sql, Object... params) {
        List<Map<String, Object>> rows = rows(sql, params);
        Object value = rows.get(0).values().iterator().next();
        return value == null ? 0 : ((Number) value).longValue();
    }

    /**
     * Runs a write with triggers off, so that it leaves no outbox row: no cache hears of it, as if another system
     * had changed the database behind the service's back.
     */
    public void writeUnannounced(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); Statement session = c.createStatement()) {
            session.execute("SET session_replication_role = replica");
            try {
                Sql.update(c, sql, params);
            } finally {
                session.execute("RESET session_replication_role");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Map<String, Object>> rows(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                List<Map<String, Object>> rows = new ArrayList<>();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A transaction outside the service (not on its pools) that holds one stock row locked until it is rolled back
     * or closed: a hold or batch that needs the row waits for it.
     */
    public static Connection lockOutside(String sku, String location) throws SQLException {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        Connection outside = DriverManager.getConnection(url, "postgres", "postgres");
        outside.setAutoCommit(false);
        try (PreparedStatement s = outside.prepareStatement(
                "SELECT 1 FROM stock_level WHERE sku = ? AND location = ? FOR UPDATE")) {
            s.setString(1, sku);
            s.setString(2, location);
            s.executeQuery().close();
        }
        return outside;
    }

    /** on_hand, reserved, committed, safety_stock of one stock level. */
    public int[] level(String sku, String location) {
        Map<String, Object> row = rows("SELECT on_hand, reserved, committed, safety_stock FROM stock_level"
                + " WHERE sku = ? AND location = ?", sku, location).get(0);
        return row.values().stream().mapToInt(v -> ((Number) v).intValue()).toArray();
    }

    /** Stock levels that differ from the sum of their ledger rows; empty when the ledger explains every quantity. */
    public List<Map<String, Object>> ledgerMismatches(String skuPrefix) {
        return rows("""
                SELECT s.sku, s.location FROM stock_level s
                LEFT JOIN (SELECT sku, location, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved,
                                  sum(committed_delta) AS committed, sum(safety_stock_delta) AS safety_stock
                           FROM stock_movement GROUP BY sku, location) m USING (sku, location)
                WHERE s.sku LIKE ? AND (s.on_hand <> coalesce(m.on_hand, 0) OR s.reserved <> coalesce(m.reserved, 0)
                   OR s.committed <> coalesce(m.committed, 0) OR s.safety_stock <> coalesce(m.safety_stock, 0))
                """, skuPrefix + "%");
    }
}
