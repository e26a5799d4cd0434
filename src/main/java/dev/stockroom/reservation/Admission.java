package dev.stockroom.reservation;

import dev.stockroom.stock.LockedStock;
import dev.stockroom.stock.StockKey;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The admission rule of holds: first come, first served, on quantities the transaction has locked; each hold gets
 * every line or nothing. Deciding a batch of holds this way gives the same answers as placing them one at a time
 * in arrival order, each on the stock the previous ones left.
 */
final class Admission {

    private Admission() {
    }

    /** What was decided for one hold. */
    sealed interface Decision {
        /** Every line is held, at the locations given. */
        record Granted(List<ReservationView.Line> lines) implements Decision {
        }

        /** Nothing is held; the lines that could not be covered. */
        record Refused(List<Shortage> shortages) implements Decision {
        }
    }

    /** Decides each hold in order on {@code stock}, holding what is granted there; answers in the same order. */
    static List<Decision> decide(List<PendingHold> holds, LockedStock stock, Instant now) {
        List<Decision> decisions = new ArrayList<>(holds.size());
        for (PendingHold hold : holds) {
            decisions.add(decide(hold, stock, now));
        }
        return decisions;
    }

    private static Decision decide(PendingHold hold, LockedStock stock, Instant now) {
        List<HoldRequest.Line> lines = hold.linesInLockOrder();
        List<StockKey> placed = new ArrayList<>(lines.size());
        List<Shortage> shortages = new ArrayList<>();
        // Lines are independent (one line per stock row, and a line without location is its SKU's only line), so
        // a hold fits if and only if each of its lines fits on its own.
        for (HoldRequest.Line line : lines) {
            Optional<StockKey> key = line.location() == null
                    ? stock.source(line.sku(), line.quantity())
                    : Optional.of(new StockKey(line.sku(), line.location()))
                            .filter(k -> stock.available(k) >= line.quantity());
            if (key.isPresent()) {
                placed.add(key.get());
            } else {
                int available = line.location() == null ? stock.mostAvailable(line.sku())
                        : stock.available(new StockKey(line.sku(), line.location()));
                shortages.add(new Shortage(line.sku(), line.location(), line.quantity(), available));
            }
        }
        if (!shortages.isEmpty()) {
            return new Decision.Refused(shortages);
        }
        List<ReservationView.Line> held = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            StockKey key = placed.get(i);
            stock.hold(key, lines.get(i).quantity(), hold.id(), now);
            held.add(new ReservationView.Line(key.sku(), key.location(), lines.get(i).quantity()));
        }
        held.sort(ReservationView.Line.LOCK_ORDER);
        return new Decision.Granted(held);
    }
}
