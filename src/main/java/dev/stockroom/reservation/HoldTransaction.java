package dev.stockroom.reservation;

import dev.stockroom.platform.DatabaseTime;
import dev.stockroom.platform.DatabaseUnavailable;
import dev.stockroom.stock.LockedStock;
import dev.stockroom.stock.StockKey;
import dev.stockroom.stock.StockService;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.Guard;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One transaction for a batch of holds, with a fixed number of statements whatever its size:
 * <ol>
 *   <li>the reservation rows with their lines that name a location, before any stock row is locked (a key already
 *   bound replays instead);</li>
 *   <li>every stock row the batch touches, locked once in the one lock order;</li>
 *   <li>each hold decided first come, first served on the locked quantities, in memory ({@link Admission});</li>
 *   <li>each touched stock row written once with its net change, with one ledger row per held line;</li>
 *   <li>the lines the sourcing rule placed, and the refused holds' reservations removed with their lines (only when
 *   there are such);</li>
 *   <li>COMMIT.</li>
 * </ol>
 * A hot stock row is thus locked and committed once per batch instead of once per hold. A hold of one line at a
 * named location, alone in its transaction, takes a shorter way with the same outcome (see {@link #placeOneLine}).
 *
 * <p>A failure that may pass (a lost connection, a deadlock, a timeout) is retried with the batch decided afresh.
 * When the connection breaks during COMMIT, the outcome is unknown until the reservations are looked up: they
 * are all there or none is, since they were written in one transaction.
 */
@ApplicationScoped
class HoldTransaction {

    private final ReservationRepository reservations;
    private final StockService stock;
    private final Clock clock;
    private final Guard retry;
    private final Guard outcomeCheck;

    HoldTransaction(ReservationRepository reservations, StockService stock, Clock clock, HoldsConfig config) {
        this.reservations = reservations;
        this.stock = stock;
        this.clock = clock;
        this.retry = Guard.create().withDescription("hold batch").withRetry()
                .maxRetries(config.retry().maxRetries())
                .delay(config.retry().delay().toMillis(), ChronoUnit.MILLIS)
                // A lock or statement that timed out has waited as long as the service allows: trying again would
                // make every hold queued behind this batch wait that long once more. Those callers get 503 at once.
                .whenException(f -> !(f instanceof OutcomeUnknown) && DatabaseUnavailable.causedBy(f)
                        && !DatabaseUnavailable.timedOut(f))
                .done().build();
        this.outcomeCheck = Guard.create().withDescription("hold batch outcome").withRetry()
                .maxRetries(-1)
                .maxDuration(config.retry().outcomeCheck().toMillis(), ChronoUnit.MILLIS)
                .delay(100, ChronoUnit.MILLIS)
                .whenException(DatabaseUnavailable::causedBy)
                .done().build();
    }

    /**
     * What a committed batch came to.
     *
     * @param at        the batch's time: every reservation it placed was created then
     * @param inserted  the holds that got a reservation row; the others' keys were bound already
     * @param decisions the decision of each inserted hold
     */
    record Placed(Instant at, Set<UUID> inserted, Map<UUID, Admission.Decision> decisions) {
    }

    /** Places the holds in one transaction, retried while the database is unavailable; throws if it never commits. */
    Placed place(List<PendingHold> holds) {
        return retry.get(() -> attempt(holds), Placed.class);
    }

    private Placed attempt(List<PendingHold> holds) {
        if (holds.size() == 1 && holds.get(0).oneLocatedLine()) {
            try {
                return inTransaction(() -> placeOneLine(holds.get(0)));
            } catch (DoesNotFit rolledBack) {
                // decided below, the general way, which gives a refusal its full answer
            }
        }
        return inTransaction(() -> decide(holds));
    }

    private Placed inTransaction(Callable<Placed> body) {
        AtomicReference<Placed> decided = new AtomicReference<>();
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                decided.set(body.call());
                return decided.get();
            });
        } catch (RuntimeException failure) {
            Placed placed = decided.get();
            if (placed == null) {
                throw failure; // rolled back before COMMIT: nothing of it exists
            }
            return committedAfterAll(placed, failure);
        }
    }

    /**
     * A hold of one line at a named location, alone in its transaction (the direct engine, or a batch of one): its
     * reservation and line first, then one statement that locks, checks and writes the stock row with its ledger row,
     * then COMMIT. The stock row stays locked for that statement and the COMMIT only, instead of the lock and write
     * statements of a batch. A hold that this does not place (not enough stock, an inactive or unknown
     * location) is rolled back with {@link DoesNotFit}.
     */
    private Placed placeOneLine(PendingHold hold) throws SQLException {
        Instant now = DatabaseTime.now(clock);
        if (reservations.insertHeld(List.of(hold), now).isEmpty()) {
            return new Placed(now, Set.of(), Map.of()); // the key is bound: answered with a replay
        }
        HoldRequest.Line line = hold.request().lines().get(0);
        if (stock.reserve(new StockKey(line.sku(), line.location()), line.quantity(), hold.id(), now).isEmpty()) {
            throw new DoesNotFit();
        }
        return new Placed(now, Set.of(hold.id()), Map.of(hold.id(), new Admission.Decision.Granted(
                List.of(new ReservationView.Line(line.sku(), line.location(), line.quantity())))));
    }

    private Placed decide(List<PendingHold> holds) throws Exception {
        // The database keeps microseconds: an answer must show the times a later read of the reservation shows.
        Instant now = DatabaseTime.now(clock);
        Set<UUID> inserted = reservations.insertHeld(holds, now);
        List<PendingHold> fresh = holds.stream().filter(h -> inserted.contains(h.id())).toList();
        Set<StockKey> keys = new TreeSet<>();
        Set<String> sourced = new TreeSet<>(StockKey.BYTE_ORDER);
        fresh.forEach(h -> {
            keys.addAll(h.namedKeys());
            sourced.addAll(h.sourcedSkus());
        });
        LockedStock locked = stock.lock(keys, sourced);
        List<Admission.Decision> decisions = Admission.decide(fresh, locked, now);
        stock.write(locked, now);
        Map<UUID, Admission.Decision> byHold = new HashMap<>();
        Map<UUID, List<ReservationView.Line>> sourcedLines = new HashMap<>();
        List<UUID> refused = new ArrayList<>();
        for (int i = 0; i < fresh.size(); i++) {
            PendingHold hold = fresh.get(i);
            byHold.put(hold.id(), decisions.get(i));
            if (decisions.get(i) instanceof Admission.Decision.Granted g) {
                // the lines that named a location went in with the reservation
                List<ReservationView.Line> placed = g.lines().stream()
                        .filter(l -> hold.sourcedSkus().contains(l.sku())).toList();
                if (!placed.isEmpty()) {
                    sourcedLines.put(hold.id(), placed);
                }
            } else {
                refused.add(hold.id());
            }
        }
        reservations.recordDecisions(sourcedLines, refused);
        return new Placed(now, inserted, byHold);
    }

    /**
     * The COMMIT failed without saying whether it happened. The granted holds' reservations are all there or none
     * is; a batch that granted nothing left nothing either way.
     */
    private Placed committedAfterAll(Placed placed, RuntimeException failure) {
        List<UUID> granted = placed.decisions().entrySet().stream()
                .filter(e -> e.getValue() instanceof Admission.Decision.Granted).map(Map.Entry::getKey).toList();
        if (granted.isEmpty()) {
            return placed;
        }
        boolean committed;
        try {
            committed = outcomeCheck.call(() -> !reservations.existing(granted).isEmpty(), Boolean.class);
        } catch (Exception unreachable) {
            throw new OutcomeUnknown(granted.size(), unreachable);
        }
        if (!committed) {
            throw failure; // not committed: retried like any failure before the commit
        }
        return placed;
    }

    /** A one-line hold that the short way did not place: its transaction rolls back, and it is decided afresh. */
    private static final class DoesNotFit extends RuntimeException {
        DoesNotFit() {
            super(null, null, false, false);
        }
    }

    /**
     * A batch's COMMIT got no answer and the database could not be asked in time whether it happened. Never retried:
     * placing the holds again could place them twice. Callers are answered 503; a retry with the same
     * {@code Idempotency-Key} replays a hold that did commit.
     */
    static final class OutcomeUnknown extends RuntimeException {
        OutcomeUnknown(int holds, Exception lastCheck) {
            // No cause: the retry policy must not take this for a failure that may pass.
            super("Whether " + holds + " granted holds committed is unknown; last check: " + lastCheck, null, false,
                    false);
        }
    }
}
