package dev.stockroom.history;

import dev.stockroom.history.ReportQueries.Query;
import dev.stockroom.platform.Sql;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import static dev.stockroom.history.ReportQueries.NOT_ROLLED_UP;
import static dev.stockroom.history.ReportQueries.utc;

/**
 * The shrinkage report's statements, on the snapshot rules of {@link ReportQueries}. At one location they read the
 * daily rows of the range. Everywhere they read the monthly losses of the range's whole months and the daily rows of
 * its edges, for the SKUs with the largest total losses first (V13), since ranking every SKU of a year is what made
 * this report slow.
 */
final class ShrinkageQueries {

    /** Shrinkage kinds as an SQL list; the partial indexes of the rollup carry the same predicate (V10). */
    private static final String SHRINKAGE_KINDS = Flow.SHRINKAGE.stream().map(k -> "'" + k.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    /** Losses by SKU and month (V11), which the shrinkage of whole months everywhere reads. */
    private static final String MONTHLY_LOSSES = "stock_movement_monthly_loss";
    /** SKUs asked first in a shrinkage report over whole months everywhere, when the limit is small. */
    static final int FIRST_CANDIDATES = 100;
    /** Most SKUs asked by total loss before the report ranks every SKU instead. */
    private static final int MAX_CANDIDATES = 20_000;

    private ShrinkageQueries() {
    }

    /** The SKUs that lost the most to shrinkage over [from, to), at one location or (null) all. */
    static List<ShrinkageReport.ShrinkageItem> shrinkage(Connection c, String location, LocalDate from, LocalDate to,
                                                         int limit, String recent) throws SQLException {
        return shrinkage(c, location, from, to, limit, recent, Math.max(FIRST_CANDIDATES, 4 * limit));
    }

    /**
     * As above, asking first the {@code candidates} SKUs with the largest total losses (V13) when the range spans
     * whole months everywhere, and eight times as many while that does not settle the ranking, before every SKU.
     */
    static List<ShrinkageReport.ShrinkageItem> shrinkage(Connection c, String location, LocalDate from, LocalDate to,
                                                         int limit, String recent, int candidates)
            throws SQLException {
        if (location == null && spans(null, from, to).stream().anyMatch(Span::monthly)) {
            for (int asked = candidates; asked <= MAX_CANDIDATES; asked *= 8) {
                Ranking ranking = rank(c, shrinkage(location, from, to, limit, recent, asked));
                if (ranking.settles(limit, asked)) {
                    return ranking.items();
                }
            }
        }
        return rank(c, shrinkage(location, from, to, limit, recent)).items();
    }

    /** The statement that ranks every SKU that lost units over [from, to). */
    static Query shrinkage(String location, LocalDate from, LocalDate to, int limit, String recent) {
        return shrinkage(location, from, to, limit, recent, null);
    }

    /**
     * Two steps in one statement. The first ranks the SKUs by their loss in the range, one sum per rollup row, which
     * is what a range over every SKU pays for. The second splits the loss of the few SKUs ranked by kind, reading
     * their own rollup rows by primary key. The ledger rows not yet rolled up are read once, into {@code recent}, and
     * serve both steps.
     *
     * <p>With {@code candidates}, the first step ranks only the SKUs with the largest total losses (V13), as many as
     * that, and the SKUs of {@code recent}; every row also carries the smallest total asked ({@code bound}) and how
     * many were found, and a row without SKU carries them when nothing ranked. See {@link Ranking#settles}.
     */
    static Query shrinkage(String location, LocalDate from, LocalDate to, int limit, String recent,
                           Integer candidates) {
        List<Span> spans = spans(location, from, to);
        List<Object> params = new ArrayList<>(List.of(recent, utc(from), utc(to)));
        if (location != null) {
            params.add(location);
        }
        String asked = "";
        if (candidates != null) {
            asked = ", candidates AS MATERIALIZED (SELECT sku, lost FROM stock_movement_loss_total"
                    + " ORDER BY lost DESC, sku LIMIT ?),"
                    + " asked AS (SELECT array_agg(sku) AS skus FROM"
                    + " (SELECT sku FROM candidates UNION SELECT sku FROM recent) s)";
            params.add(candidates);
        }
        String onlyAsked = candidates == null ? "" : " AND sku = ANY((SELECT skus FROM asked)::varchar[])";
        StringBuilder ranked = new StringBuilder();
        StringBuilder split = new StringBuilder();
        List<Object> spanParams = new ArrayList<>();
        for (Span span : spans) {
            ranked.append(" SELECT sku, ").append(span.lost()).append(" AS lost FROM ").append(span.table())
                    .append(" WHERE ").append(span.where()).append(onlyAsked).append(" UNION ALL");
            split.append(" SELECT kind, ").append(span.lost()).append(" AS lost FROM ").append(span.table())
                    .append(" WHERE sku = top.sku AND ").append(span.where()).append(" UNION ALL");
            spanParams.addAll(span.params());
        }
        params.addAll(spanParams);
        params.add(limit);
        params.addAll(spanParams);
        return new Query("WITH recent AS MATERIALIZED ("
                + " SELECT m.sku, m.kind, -m.on_hand_delta AS lost FROM stock_movement m"
                + " WHERE " + NOT_ROLLED_UP + " AND m.kind IN " + SHRINKAGE_KINDS + " AND m.on_hand_delta < 0"
                + " AND m.occurred_at >= ? AND m.occurred_at < ?" + (location == null ? "" : " AND m.location = ?")
                + ")" + asked
                + ", top AS (SELECT sku, sum(lost) AS lost FROM (" + ranked + " SELECT sku, lost FROM recent) t"
                + " GROUP BY sku ORDER BY lost DESC, sku LIMIT ?),"
                + " items AS (SELECT top.sku, top.lost,"
                + " coalesce(sum(k.lost) FILTER (WHERE k.kind = 'ADJUSTED'), 0) AS adjusted,"
                + " coalesce(sum(k.lost) FILTER (WHERE k.kind = 'COUNTED'), 0) AS counted,"
                + " coalesce(sum(k.lost) FILTER (WHERE k.kind = 'CORRECTION'), 0) AS corrected"
                + " FROM top CROSS JOIN LATERAL (" + split + " SELECT kind, lost FROM recent"
                + " WHERE recent.sku = top.sku) k GROUP BY top.sku, top.lost)"
                + (candidates == null
                        ? " SELECT items.*, NULL::bigint AS bound, NULL::bigint AS found FROM items"
                        : " SELECT items.*, b.bound, b.found FROM"
                                + " (SELECT min(lost) AS bound, count(*) AS found FROM candidates) b"
                                + " LEFT JOIN items ON true")
                + " ORDER BY items.lost DESC, items.sku", params);
    }

    private static Ranking rank(Connection c, Query q) throws SQLException {
        List<RankedRow> rows = Sql.query(c, q.sql(), rs -> new RankedRow(rs.getString("sku") == null ? null
                : new ShrinkageReport.ShrinkageItem(rs.getString("sku"), rs.getLong("lost"), rs.getLong("adjusted"),
                        rs.getLong("counted"), rs.getLong("corrected")), rs.getLong("bound"), rs.getLong("found")),
                q.params().toArray());
        return new Ranking(rows.stream().map(RankedRow::item).filter(Objects::nonNull).toList(),
                rows.isEmpty() ? 0 : rows.get(0).bound(), rows.isEmpty() ? 0 : rows.get(0).found());
    }

    /** One row of a ranking: a SKU ranked (none when nothing ranked among candidates), and the candidates' facts. */
    private record RankedRow(ShrinkageReport.ShrinkageItem item, long bound, long found) {
    }

    /**
     * A ranking among candidates, with the smallest total loss among them and how many there were.
     *
     * @param bound the smallest total among the candidates: no SKU left out lost more than that in any range
     */
    record Ranking(List<ShrinkageReport.ShrinkageItem> items, long bound, long found) {

        /**
         * Whether no SKU left out could rank: every SKU with a loss was a candidate, or the last one ranked lost more
         * in the range than the bound. Strictly more, since a SKU left out with an equal loss would rank by its name.
         * The SKUs with losses not yet rolled up are always asked, so the bound holds for the others.
         */
        boolean settles(int limit, int asked) {
            return found < asked || items.size() == limit && items.get(limit - 1).lost() > bound;
        }
    }

    /** Rolled-up losses of part of a report's range: a table, its loss column, and the rows of that part. */
    private record Span(String table, String lost, String where, List<Object> params) {

        boolean monthly() {
            return table.equals(MONTHLY_LOSSES);
        }
    }

    /**
     * Where the rolled-up losses of [from, to) are read. At one location, its daily rows. Everywhere, the whole
     * months of the range from the monthly losses (V11), and the days before the first and after the last whole
     * month from the per-SKU daily rollup.
     */
    private static List<Span> spans(String location, LocalDate from, LocalDate to) {
        String days = "kind IN " + SHRINKAGE_KINDS + " AND on_hand_down > 0 AND day >= ? AND day < ?";
        if (location != null) {
            return List.of(new Span("stock_movement_daily", "on_hand_down", days + " AND location = ?",
                    List.of(from, to, location)));
        }
        LocalDate firstMonth = from.getDayOfMonth() == 1 ? from : from.withDayOfMonth(1).plusMonths(1);
        LocalDate endMonth = to.withDayOfMonth(1);
        if (!firstMonth.isBefore(endMonth)) {
            return List.of(new Span("stock_movement_daily_sku", "on_hand_down", days, List.of(from, to)));
        }
        List<Span> spans = new ArrayList<>();
        spans.add(new Span(MONTHLY_LOSSES, "lost", "month >= ? AND month < ?",
                List.of(firstMonth, endMonth)));
        if (from.isBefore(firstMonth)) {
            spans.add(new Span("stock_movement_daily_sku", "on_hand_down", days, List.of(from, firstMonth)));
        }
        if (endMonth.isBefore(to)) {
            spans.add(new Span("stock_movement_daily_sku", "on_hand_down", days, List.of(endMonth, to)));
        }
        return spans;
    }
}
