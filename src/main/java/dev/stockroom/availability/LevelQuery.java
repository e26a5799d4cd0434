package dev.stockroom.availability;

import dev.stockroom.platform.Sql;
import dev.stockroom.stock.StockLevel;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The one batched load query of the availability cache: the levels of many SKUs, in sourcing order. */
final class LevelQuery {

    private LevelQuery() {
    }

    static Map<String, List<CachedLevel>> load(DataSource dataSource, List<String> skus) throws SQLException {
        Map<String, List<CachedLevel>> bySku = new LinkedHashMap<>();
        for (String sku : skus) {
            bySku.put(sku, new ArrayList<>());
        }
        try (Connection c = dataSource.getConnection()) {
            List<CachedLevel> rows = Sql.query(c, "SELECT s.sku, s.location, s.on_hand, s.reserved, s.committed,"
                    + " s.safety_stock, s.version, s.updated_at, l.priority, l.active"
                    + " FROM stock_level s JOIN location l ON l.code = s.location"
                    + " WHERE s.sku = ANY(?) ORDER BY s.sku, l.priority, s.location",
                    LevelQuery::map, (Object) skus.toArray(String[]::new));
            for (CachedLevel row : rows) {
                bySku.get(row.level().sku()).add(row);
            }
        }
        return bySku;
    }

    private static CachedLevel map(ResultSet rs) throws SQLException {
        StockLevel level = new StockLevel(rs.getString("sku"), rs.getString("location"), rs.getInt("on_hand"),
                rs.getInt("reserved"), rs.getInt("committed"), rs.getInt("safety_stock"), rs.getLong("version"),
                rs.getTimestamp("updated_at").toInstant());
        return new CachedLevel(level, rs.getInt("priority"), rs.getBoolean("active"));
    }
}
