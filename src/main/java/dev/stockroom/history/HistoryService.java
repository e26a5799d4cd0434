package dev.stockroom.history;

import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.stock.MovementKind;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * Reads of the movement ledger: a SKU's history page by page, and the stock-flow and shrinkage reports. Every read
 * runs on the report pool behind its bulkhead, never on the write pool.
 */
@ApplicationScoped
public class HistoryService {

    private final ReportGuard guard;
    private final LedgerMove move;
    private final Watermark watermark;
    private final HistoryConfig config;
    private final Clock clock;

    HistoryService(ReportGuard guard, LedgerMove move, Watermark watermark, HistoryConfig config, Clock clock) {
        this.guard = guard;
        this.move = move;
        this.watermark = watermark;
        this.config = config;
        this.clock = clock;
    }

    /**
     * One page of a SKU's movements, newest first, within [from, to) (an open end when {@code to} is null).
     *
     * @param cursor the previous page's {@code nextCursor}, or null for the first page
     */
    public MovementPage movements(String sku, String location, MovementKind kind, Instant from, Instant to,
                                  int limit, String cursor) {
        Cursor after = cursor == null ? null : Cursor.decode(cursor);
        MovementQueries.Page page = new MovementQueries.Page(sku, location, kind, from, to, limit, after);
        return guard.run(c -> {
            requireMoved(c);
            return MovementQueries.page(c, page);
        });
    }

    /** Stock flow of the scope over the UTC days [from, to), period by period. */
    public StockFlowReport stockFlow(FlowScope scope, LocalDate from, LocalDate to, Granularity granularity) {
        Instant asOf = clock.instant();
        List<ReportQueries.DayKind> days = guard.run(c -> {
            requireMoved(c);
            return ReportQueries.stockFlow(c, scope, from, to, watermark.recent(c));
        });
        List<FlowPeriod> periods = Flow.periods(days, from, to, granularity);
        String sku = scope instanceof FlowScope.Sku s ? s.sku()
                : scope instanceof FlowScope.SkuAtLocation s ? s.sku() : null;
        String location = scope instanceof FlowScope.SkuAtLocation s ? s.location()
                : scope instanceof FlowScope.Location l ? l.location() : null;
        return new StockFlowReport(from, to, granularity, sku, location, asOf, periods);
    }

    /** The SKUs that lost the most units over the UTC days [from, to), at one location or (null) everywhere. */
    public ShrinkageReport shrinkage(String location, LocalDate from, LocalDate to, int limit) {
        Instant asOf = clock.instant();
        return new ShrinkageReport(from, to, location, asOf, guard.run(c -> {
            requireMoved(c);
            return ShrinkageQueries.shrinkage(c, location, from, to, limit, watermark.recent(c));
        }));
    }

    /** Until the move of an old ledger is complete, the partitioned ledger and its rollup are not whole yet. */
    private void requireMoved(Connection c) throws SQLException {
        if (move.phase(c) != LedgerMove.Phase.SWITCHED) {
            throw new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The movement ledger is being moved into"
                    + " its partitioned table (" + move.copiedRows() + " rows copied so far); history and reports"
                    + " are back once the move completes", Map.of("retryAfterSeconds",
                            config.move().retryAfter().toSeconds()));
        }
    }
}
