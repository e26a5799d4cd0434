package dev.stockroom.platform;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The few JDBC helpers the write path needs. Statements that decide on quantities are plain SQL on purpose: the
 * database takes each decision in one conditional statement, and Java only reads what it returned.
 */
public final class Sql {

    private Sql() {
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    public static <T> List<T> query(Connection connection, String sql, RowMapper<T> mapper, Object... params)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(mapper.map(rs));
                }
                return rows;
            }
        }
    }

    public static int update(Connection connection, String sql, Object... params) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, params);
            return statement.executeUpdate();
        }
    }

    public static void bind(PreparedStatement statement, Object... params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            Object p = params[i];
            if (p instanceof Instant instant) {
                statement.setTimestamp(i + 1, Timestamp.from(instant));
            } else if (p instanceof String[] strings) {
                statement.setArray(i + 1, statement.getConnection().createArrayOf("text", strings));
            } else if (p instanceof Long[] longs) {
                statement.setArray(i + 1, statement.getConnection().createArrayOf("int8", longs));
            } else if (p instanceof Integer[] ints) {
                statement.setArray(i + 1, statement.getConnection().createArrayOf("int4", ints));
            } else if (p instanceof Instant[] instants) {
                Timestamp[] timestamps = new Timestamp[instants.length];
                for (int t = 0; t < instants.length; t++) {
                    timestamps[t] = instants[t] == null ? null : Timestamp.from(instants[t]);
                }
                statement.setArray(i + 1, statement.getConnection().createArrayOf("timestamptz", timestamps));
            } else if (p instanceof UUID[] uuids) {
                statement.setArray(i + 1, statement.getConnection().createArrayOf("uuid", uuids));
            } else {
                statement.setObject(i + 1, p);
            }
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp ts = rs.getTimestamp(column);
        return ts == null ? null : ts.toInstant();
    }
}
