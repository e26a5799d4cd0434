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
import java.util.stream.Collectors;

/**
 * The report statements. Each reads the daily rollup for the range and adds the ledger rows not yet rolled up
 * ({@code xact_id} at or above the watermark), in one statement and so on one snapshot: the rollup, the watermark
 * and the ledger agree, and the answer is exact to the moment of the query. The ledger part is found through the
 * {@code xact_id} index within the range's partitions only; no report reads the ledger's history.
 */
final class ReportQueries {

    /** The measures of one kind on one day. */
    record DayKind(LocalDate day, MovementKind kind, Measures measures) {
    }

    /** The ledger rows a report adds to the rollup. */
    private static final String NOT_ROLLED_UP =
            "m.xact_id >= (SELECT rolled_below FROM stock_movement_rollup_watermark)";

    private static final String SHRINKAGE_KINDS = Flow.SHRINKAGE.stream().map(k -> "'" + k.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    private ReportQueries() {
    }

    /** Per day and kind, the measures of the scope over [from, to). */
    static List<DayKind> stockFlow(Connection c, FlowScope scope, LocalDate from, LocalDate to) throws SQLException {
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
        params.addAll(List.of(from, to));
        params.addAll(keys);
        params.addAll(List.of(utc(from), utc(to)));
        return Sql.query(c, "SELECT day, kind, " + Measures.SUMS + " FROM ("
                        + " SELECT day, kind, " + Measures.COLUMNS + " FROM " + rollup
                        + " WHERE " + rollupWhere + " AND day >= ? AND day < ?"
                        + " UNION ALL"
                        + " SELECT " + Measures.DAY_OF_ROW + ", m.kind, " + Measures.OF_ROW + " FROM stock_movement m"
                        + " WHERE " + NOT_ROLLED_UP + " AND " + ledgerWhere
                        + " AND m.occurred_at >= ? AND m.occurred_at < ?"
                        + ") t GROUP BY day, kind",
                rs -> new DayKind(rs.getObject("day", LocalDate.class), Flow.kind(rs.getString("kind")),
                        Measures.read(rs)),
                params.toArray());
    }

    /** The SKUs that lost the most to shrinkage over [from, to), at one location or (null) all. */
    static List<ShrinkageReport.ShrinkageItem> shrinkage(Connection c, String location, LocalDate from, LocalDate to,
                                                         int limit) throws SQLException {
        String rollup = location == null ? "stock_movement_daily_sku" : "stock_movement_daily";
        String atRollup = location == null ? "" : " AND location = ?";
        String atLedger = location == null ? "" : " AND m.location = ?";
        List<Object> params = new ArrayList<>(List.of(from, to));
        if (location != null) {
            params.add(location);
        }
        params.addAll(List.of(utc(from), utc(to)));
        if (location != null) {
            params.add(location);
        }
        params.add(limit);
        return Sql.query(c, "SELECT sku, sum(lost) AS lost,"
                        + " coalesce(sum(lost) FILTER (WHERE kind = 'ADJUSTED'), 0) AS adjusted,"
                        + " coalesce(sum(lost) FILTER (WHERE kind = 'COUNTED'), 0) AS counted,"
                        + " coalesce(sum(lost) FILTER (WHERE kind = 'CORRECTION'), 0) AS corrected FROM ("
                        + " SELECT sku, kind, on_hand_down AS lost FROM " + rollup
                        + " WHERE kind IN " + SHRINKAGE_KINDS + " AND on_hand_down > 0 AND day >= ? AND day < ?"
                        + atRollup
                        + " UNION ALL"
                        + " SELECT m.sku, m.kind, -m.on_hand_delta FROM stock_movement m"
                        + " WHERE " + NOT_ROLLED_UP + " AND m.kind IN " + SHRINKAGE_KINDS + " AND m.on_hand_delta < 0"
                        + " AND m.occurred_at >= ? AND m.occurred_at < ?" + atLedger
                        + ") t GROUP BY sku ORDER BY lost DESC, sku LIMIT ?",
                rs -> new ShrinkageReport.ShrinkageItem(rs.getString("sku"), rs.getLong("lost"),
                        rs.getLong("adjusted"), rs.getLong("counted"), rs.getLong("corrected")),
                params.toArray());
    }

    /** Midnight UTC of {@code day}, as the ledger's timestamps are compared. */
    static OffsetDateTime utc(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
