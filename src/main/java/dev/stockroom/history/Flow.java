package dev.stockroom.history;

import dev.stockroom.stock.MovementKind;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Adds up the measures of one period by what moved the units: the one place a kind maps to a report column. */
final class Flow {

    /** The kinds that count as shrinkage when they lower on-hand. */
    static final List<MovementKind> SHRINKAGE = List.of(MovementKind.ADJUSTED, MovementKind.COUNTED,
            MovementKind.CORRECTION);

    private long received;
    private long shipped;
    private long adjustedUp;
    private long adjustedDown;
    private long countedUp;
    private long countedDown;
    private long transferredIn;
    private long transferredOut;
    private long correctedUp;
    private long correctedDown;
    private long held;
    private long released;
    private long expired;
    private long committed;
    private long cancelled;
    private long netOnHand;
    private long movements;

    /** Adds the measures of one kind. A kind this version does not know still counts in the net and movements. */
    void add(MovementKind kind, Measures m) {
        netOnHand += m.onHandUp() - m.onHandDown();
        movements += m.movements();
        if (kind == null) {
            return;
        }
        switch (kind) {
            case RECEIVED -> received += m.onHandUp() - m.onHandDown();
            case SHIPPED -> shipped += m.onHandDown() - m.onHandUp();
            case ADJUSTED -> {
                adjustedUp += m.onHandUp();
                adjustedDown += m.onHandDown();
            }
            case COUNTED -> {
                countedUp += m.onHandUp();
                countedDown += m.onHandDown();
            }
            case TRANSFERRED -> {
                transferredIn += m.onHandUp();
                transferredOut += m.onHandDown();
            }
            case CORRECTION -> {
                correctedUp += m.onHandUp();
                correctedDown += m.onHandDown();
            }
            case HOLD -> held += m.reservedUp() - m.reservedDown();
            case RELEASE -> released += m.reservedDown() - m.reservedUp();
            case EXPIRE -> expired += m.reservedDown() - m.reservedUp();
            case COMMIT -> committed += m.committedUp() - m.committedDown();
            case CANCEL -> cancelled += m.committedDown() - m.committedUp();
        }
    }

    FlowPeriod period(LocalDate from, LocalDate to) {
        return new FlowPeriod(from, to, received, shipped, adjustedUp, adjustedDown, countedUp, countedDown,
                transferredIn, transferredOut, correctedUp, correctedDown, held, released, expired, committed,
                cancelled, netOnHand, movements);
    }

    /** Every period of [from, to), the first and last cut to the range, with the measures of its days added up. */
    static List<FlowPeriod> periods(List<ReportQueries.DayKind> days, LocalDate from, LocalDate to,
                                    Granularity granularity) {
        List<LocalDate> starts = new ArrayList<>();
        List<Flow> flows = new ArrayList<>();
        for (LocalDate start = from; start.isBefore(to); start = granularity.next(start)) {
            starts.add(start);
            flows.add(new Flow());
        }
        for (ReportQueries.DayKind day : days) {
            int i = Collections.binarySearch(starts, day.day());
            flows.get(i >= 0 ? i : -i - 2).add(day.kind(), day.measures());
        }
        List<FlowPeriod> periods = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            periods.add(flows.get(i).period(starts.get(i), i + 1 < starts.size() ? starts.get(i + 1) : to));
        }
        return periods;
    }

    /** The kind named in the ledger, or null for one this version does not know. */
    static MovementKind kind(String name) {
        try {
            return MovementKind.valueOf(name);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
