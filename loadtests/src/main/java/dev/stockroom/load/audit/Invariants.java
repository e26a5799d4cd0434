package dev.stockroom.load.audit;

import java.util.List;

/**
 * The invariants a run must leave behind, as SQL over the service's tables (schema: src/main/resources/db/migration
 * of the service). Each query returns the rows that break its invariant.
 */
final class Invariants {

    private Invariants() {
    }

    static final List<Check> ALL = List.of(
            new Check("no quantity is negative", """
                    SELECT sku, location, on_hand, reserved, committed, safety_stock FROM stock_level
                    WHERE on_hand < 0 OR reserved < 0 OR committed < 0 OR safety_stock < 0
                    """),
            // Replays the ledger of each (sku, location) in the order its rows were written (a row lock orders the
            // writers of one level, and each writes its ledger row while holding it) and looks at the moment after
            // every hold: held + committed + safety stock must still fit in what was on hand.
            new Check("reserved + committed never exceeded what was there to sell (ledger replayed at every hold)", """
                    SELECT sku, location, id, on_hand, reserved, committed, safety FROM (
                      SELECT sku, location, id, kind, reserved_delta,
                             sum(on_hand_delta) OVER w AS on_hand, sum(reserved_delta) OVER w AS reserved,
                             sum(committed_delta) OVER w AS committed, sum(safety_stock_delta) OVER w AS safety
                      FROM stock_movement
                      WINDOW w AS (PARTITION BY sku, location ORDER BY id ROWS UNBOUNDED PRECEDING)) replay
                    WHERE kind = 'HOLD' AND reserved + committed + safety > on_hand
                    """),
            new Check("quantities recomputed from the ledger equal the stock levels", """
                    SELECT s.sku, s.location, s.on_hand, m.on_hand, s.reserved, m.reserved, s.committed, m.committed
                    FROM stock_level s
                    LEFT JOIN (SELECT sku, location, sum(on_hand_delta) AS on_hand, sum(reserved_delta) AS reserved,
                                      sum(committed_delta) AS committed, sum(safety_stock_delta) AS safety_stock
                               FROM stock_movement GROUP BY sku, location) m USING (sku, location)
                    WHERE s.on_hand <> coalesce(m.on_hand, 0) OR s.reserved <> coalesce(m.reserved, 0)
                       OR s.committed <> coalesce(m.committed, 0) OR s.safety_stock <> coalesce(m.safety_stock, 0)
                    """),
            // Every line of every granted hold has exactly one HOLD row, and what its rows net to matches its state:
            // still reserved only while HELD, still committed only while COMMITTED (less what shipped).
            new Check("every granted hold is accounted for exactly once (held, committed, released, expired, fulfilled)", """
                    SELECT r.id, r.status, l.sku, l.location, l.quantity, m.holds, m.reserved, m.committed
                    FROM reservation r JOIN reservation_line l ON l.reservation_id = r.id
                    LEFT JOIN (SELECT reservation_id, sku, location, count(*) FILTER (WHERE kind = 'HOLD') AS holds,
                                      sum(reserved_delta) AS reserved, sum(committed_delta) AS committed
                               FROM stock_movement WHERE reservation_id IS NOT NULL
                               GROUP BY reservation_id, sku, location) m
                           ON m.reservation_id = r.id AND m.sku = l.sku AND m.location = l.location
                    WHERE coalesce(m.holds, 0) <> 1
                       OR m.reserved <> CASE WHEN r.status = 'HELD' THEN l.quantity ELSE 0 END
                       OR m.committed <> CASE WHEN r.status = 'COMMITTED' THEN l.quantity - l.shipped ELSE 0 END
                    """),
            new Check("stock levels hold exactly what live holds and open orders say", """
                    SELECT s.sku, s.location, s.reserved, coalesce(h.reserved, 0), s.committed, coalesce(h.committed, 0)
                    FROM stock_level s
                    LEFT JOIN (SELECT l.sku, l.location,
                                      sum(l.quantity) FILTER (WHERE r.status = 'HELD') AS reserved,
                                      sum(l.quantity - l.shipped) FILTER (WHERE r.status = 'COMMITTED') AS committed
                               FROM reservation r JOIN reservation_line l ON l.reservation_id = r.id
                               GROUP BY l.sku, l.location) h USING (sku, location)
                    WHERE s.reserved <> coalesce(h.reserved, 0) OR s.committed <> coalesce(h.committed, 0)
                    """),
            new Check("every warehouse event id applied at most once", """
                    SELECT event_id, count(*) FROM stock_movement WHERE event_id IS NOT NULL GROUP BY event_id
                    HAVING count(*) > CASE WHEN bool_or(kind = 'TRANSFERRED') THEN 2 ELSE 1 END
                    UNION ALL
                    SELECT DISTINCT m.event_id, 0 FROM stock_movement m
                    LEFT JOIN applied_event a ON a.event_id = m.event_id
                    WHERE m.event_id IS NOT NULL AND (a.event_id IS NULL OR a.outcome <> 'APPLIED')
                    """));
}
