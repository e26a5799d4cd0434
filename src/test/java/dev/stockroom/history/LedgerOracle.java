package dev.stockroom.history;

import dev.stockroom.platform.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reports computed the slow, obvious way: straight from every ledger row of the range, with no rollup and no
 * watermark. Written independently of the service's code, as the reference the reports must equal.
 */
final class LedgerOracle {

    private LedgerOracle() {
    }

    static List<FlowPeriod> stockFlow(Connection c, FlowScope scope, LocalDate from, LocalDate to, Granularity g)
            throws SQLException {
        List<Object> params = new ArrayList<>(List.of(g.label(), from));
        String where;
        if (scope instanceof FlowScope.Sku s) {
            where = "sku = ?";
            params.add(s.sku());
        } else if (scope instanceof FlowScope.SkuAtLocation s) {
            where = "sku = ? AND location = ?";
            params.addAll(List.of(s.sku(), s.location()));
        } else {
            where = "location = ?";
            params.add(((FlowScope.Location) scope).location());
        }
        params.addAll(List.of(utc(from), utc(to)));
        Map<LocalDate, long[]> sums = new HashMap<>();
        Sql.query(c, """
                SELECT greatest(date_trunc(?, occurred_at AT TIME ZONE 'UTC')::date, ?::date) AS start,
                  coalesce(sum(on_hand_delta) FILTER (WHERE kind = 'RECEIVED'), 0),
                  coalesce(sum(-on_hand_delta) FILTER (WHERE kind = 'SHIPPED'), 0),
                  coalesce(sum(on_hand_delta) FILTER (WHERE kind = 'ADJUSTED' AND on_hand_delta > 0), 0),
                  coalesce(sum(-on_hand_delta) FILTER (WHERE kind = 'ADJUSTED' AND on_hand_delta < 0), 0),
                  coalesce(sum(on_hand_delta) FILTER (WHERE kind = 'COUNTED' AND on_hand_delta > 0), 0),
                  coalesce(sum(-on_hand_delta) FILTER (WHERE kind = 'COUNTED' AND on_hand_delta < 0), 0),
                  coalesce(sum(on_hand_delta) FILTER (WHERE kind = 'TRANSFERRED' AND on_hand_delta > 0), 0),
                  coalesce(sum(-on_hand_delta) FILTER (WHERE kind = 'TRANSFERRED' AND on_hand_delta < 0), 0),
                  coalesce(sum(on_hand_delta) FILTER (WHERE kind = 'CORRECTION' AND on_hand_delta > 0), 0),
                  coalesce(sum(-on_hand_delta) FILTER (WHERE kind = 'CORRECTION' AND on_hand_delta < 0), 0),
                  coalesce(sum(reserved_delta) FILTER (WHERE kind = 'HOLD'), 0),
                  coalesce(sum(-reserved_delta) FILTER (WHERE kind = 'RELEASE'), 0),
                  coalesce(sum(-reserved_delta) FILTER (WHERE kind = 'EXPIRE'), 0),
                  coalesce(sum(committed_delta) FILTER (WHERE kind = 'COMMIT'), 0),
                  coalesce(sum(-committed_delta) FILTER (WHERE kind = 'CANCEL'), 0),
                  coalesce(sum(on_hand_delta), 0),
                  count(*)
                FROM stock_movement WHERE %s AND occurred_at >= ? AND occurred_at < ?
                GROUP BY 1
                """.formatted(where), rs -> {
            long[] values = new long[17];
            for (int i = 0; i < values.length; i++) {
                values[i] = rs.getLong(i + 2);
            }
            sums.put(rs.getObject(1, LocalDate.class), values);
            return null;
        }, params.toArray());
        List<FlowPeriod> periods = new ArrayList<>();
        for (LocalDate start = from; start.isBefore(to);) {
            LocalDate next = switch (g) {
                case DAY -> start.plusDays(1);
                case WEEK -> start.with(TemporalAdjusters.next(DayOfWeek.MONDAY));
                case MONTH -> start.withDayOfMonth(1).plusMonths(1);
            };
            LocalDate end = next.isBefore(to) ? next : to;
            long[] v = sums.getOrDefault(start, new long[17]);
            periods.add(new FlowPeriod(start, end, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10],
                    v[11], v[12], v[13], v[14], v[15], v[16]));
            start = next;
        }
        return periods;
    }

    static List<ShrinkageReport.ShrinkageItem> shrinkage(Connection c, String location, LocalDate from, LocalDate to,
                                                         int limit) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(utc(from), utc(to)));
        if (location != null) {
            params.add(location);
        }
        params.add(limit);
        return Sql.query(c, """
                SELECT sku, sum(-on_hand_delta) AS lost,
                  coalesce(sum(-on_hand_delta) FILTER (WHERE kind = 'ADJUSTED'), 0),
                  coalesce(sum(-on_hand_delta) FILTER (WHERE kind = 'COUNTED'), 0),
                  coalesce(sum(-on_hand_delta) FILTER (WHERE kind = 'CORRECTION'), 0)
                FROM stock_movement
                WHERE kind IN ('ADJUSTED', 'COUNTED', 'CORRECTION') AND on_hand_delta < 0
                  AND occurred_at >= ? AND occurred_at < ? %s
                GROUP BY sku ORDER BY lost DESC, sku LIMIT ?
                """.formatted(location == null ? "" : "AND location = ?"),
                rs -> new ShrinkageReport.ShrinkageItem(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5)), params.toArray());
    }

    private static OffsetDateTime utc(LocalDate day) {
        return day.atStartOfDay().atOffset(ZoneOffset.UTC);
    }
}
