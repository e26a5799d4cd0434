package dev.stockroom.history;

import dev.stockroom.platform.Sql;
import dev.stockroom.stock.MovementKind;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A page of one SKU's ledger rows, newest first, by keyset: the primary key (sku, occurred_at, id) read backwards
 * from the cursor, within the partitions of the range only.
 */
final class MovementQueries {

    /** What a page asks for; {@code to} and {@code after} may be null. */
    record Page(String sku, String location, MovementKind kind, Instant from, Instant to, int limit, Cursor after) {
    }

    private MovementQueries() {
    }

    static MovementPage page(Connection c, Page q) throws SQLException {
        ReportQueries.Query query = query(q);
        List<MovementPage.Movement> rows = Sql.query(c, query.sql(), rs -> new MovementPage.Movement(
                rs.getLong("id"), rs.getString("location"), MovementKind.valueOf(rs.getString("kind")),
                rs.getInt("on_hand_delta"), rs.getInt("reserved_delta"), rs.getInt("committed_delta"),
                rs.getInt("safety_stock_delta"), rs.getObject("reservation_id", UUID.class), rs.getString("event_id"),
                rs.getString("reason"), Sql.instant(rs, "occurred_at"), Sql.instant(rs, "recorded_at")),
                query.params().toArray());
        if (rows.size() <= q.limit()) {
            return new MovementPage(q.sku(), rows, null);
        }
        List<MovementPage.Movement> page = rows.subList(0, q.limit());
        MovementPage.Movement last = page.get(page.size() - 1);
        return new MovementPage(q.sku(), List.copyOf(page), new Cursor(last.occurredAt(), last.id()).encode());
    }

    /** The statement of a page; it asks for one row more than the page, to tell whether another page follows. */
    static ReportQueries.Query query(Page q) {
        StringBuilder sql = new StringBuilder("SELECT id, location, kind, on_hand_delta, reserved_delta,"
                + " committed_delta, safety_stock_delta, reservation_id, event_id, reason, occurred_at, recorded_at"
                + " FROM stock_movement WHERE sku = ? AND occurred_at >= ?");
        List<Object> params = new ArrayList<>(List.of(q.sku(), utc(q.from())));
        if (q.to() != null) {
            sql.append(" AND occurred_at < ?");
            params.add(utc(q.to()));
        }
        if (q.location() != null) {
            sql.append(" AND location = ?");
            params.add(q.location());
        }
        if (q.kind() != null) {
            sql.append(" AND kind = ?");
            params.add(q.kind().name());
        }
        if (q.after() != null) {
            // The cursor's time also bounds the range, so partitions newer than it are pruned.
            sql.append(" AND occurred_at <= ? AND (occurred_at, id) < (?, ?)");
            params.addAll(List.of(utc(q.after().occurredAt()), utc(q.after().occurredAt()), q.after().id()));
        }
        sql.append(" ORDER BY occurred_at DESC, id DESC LIMIT ?");
        params.add(q.limit() + 1);
        return new ReportQueries.Query(sql.toString(), params);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
