package dev.stockroom.history;

import dev.stockroom.platform.Sql;
import dev.stockroom.stock.MovementKind;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The report statements, and what they share ({@link ShrinkageQueries} has the shrinkage report's). Each reads the
 * rollup for the range and adds the ledger rows not yet rolled up ({@code xact_id} at or above the watermark), in one
 * statement, so on one snapshot: the rollup, the watermark and the ledger agree, and the answer is exact to that
 * moment.
 *
 * <p>The ledger part compares {@code xact_id} twice: with the watermark of the statement's own snapshot (a
 * sub-select, which makes the answer exact) and with a recent value known beforehand ({@link Watermark}), bound as
 * a value so that the planner sees how few rows lie above it and reads them through the {@code xact_id} index within
 * the range's partitions only. Report connections plan every statement afresh ({@code plan_cache_mode}), since a
 * generic plan could neither prune partitions nor know the watermark.
 */
final class ReportQueries {

    /** A statement and its parameters. */
    record Query(String sql, List<Object> params) {
    }

    /** The measures of one kind on one day. */
    record DayKind(LocalDate day, MovementKind kind, Measures measures) {
    }

    private ReportQueries() {
    }

    /** The ledger rows a report adds to the rollup; the parameter is a recent watermark (see the class comment). */
    static final String NOT_ROLLED_UP = "m.xact_id >= ?::xid8"
            + " AND m.xact_id >= (SELECT rolled_below FROM stock_movement_rollup_watermark)";

    /** Per day and kind, the measures of the scope over [from, to). */
    static List<DayKind> stockFlow(Connection c, FlowScope scope, LocalDate from, LocalDate to, String recent)
            throws SQLException {
        Query q = stockFlow(scope, from, to, recent);
        return Sql.query(c, q.sql(), rs -> new DayKind(rs.getObject("day", LocalDate.class),
                Flow.kind(rs.getString("kind")), Measures.read(rs)), q.params().toArray());
    }

    static Query stockFlow(FlowScope scope, LocalDate from, LocalDate to, String recent) {
        String rollup;
        String rollupWhere;
        String ledgerWhere;
        List<Object> keys = new ArrayList<>();
        if (scope instanceof FlowScope.Sku s) {
            rollup = "stock_movement_daily_sku";
            rollupWhere = "sku = ?";
            ledgerWhere = "m.sku = ?";
            keys.add(s.sku());
        } else if (scope instanceof FlowScope.SkuAtLocation s) {
            rollup = "stock_movement_daily";
            rollupWhere = "sku = ? AND location = ?";
            ledgerWhere = "m.sku = ? AND m.location = ?";
            keys.addAll(List.of(s.sku(), s.location()));
        } else {
            rollup = "stock_movement_daily_location";
            rollupWhere = "location = ?";
            ledgerWhere = "m.location = ?";
            keys.add(((FlowScope.Location) scope).location());
        }
        List<Object> params = new ArrayList<>(keys);
        params.addAll(List.of(from, to, recent));
        params.addAll(keys);
        params.addAll(List.of(utc(from), utc(to)));
        return new Query("SELECT day, kind, " + Measures.SUMS + " FROM ("
                + " SELECT day, kind, " + Measures.COLUMNS + " FROM " + rollup
                + " WHERE " + rollupWhere + " AND day >= ? AND day < ?"
                + " UNION ALL"
                + " SELECT " + Measures.DAY_OF_ROW + ", m.kind, " + Measures.OF_ROW + " FROM stock_movement m"
                + " WHERE " + NOT_ROLLED_UP + " AND " + ledgerWhere + " AND m.occurred_at >= ? AND m.occurred_at < ?"
                + ") t GROUP BY day, kind", params);
    }

    /** Midnight UTC of {@code day}, as the ledger's timestamps are compared. */
    static OffsetDateTime utc(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
