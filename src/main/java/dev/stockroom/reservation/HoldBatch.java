package dev.stockroom.reservation;

import dev.stockroom.platform.DatabaseUnavailable;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.stock.StockService;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Places a batch of holds in one {@link HoldTransaction} and answers every caller: 201, a replay, 409 with the
 * shortages, 422, or 503.
 *
 * <p>One hold must not fail its neighbours. A failure that may pass is retried by the transaction; any other
 * failure of a batch is the doing of some hold in it, so the batch is split in halves placed apart, down to the one
 * hold that fails alone. A key sent twice in one batch is placed once; the later copy gets the answer it would
 * have got had it arrived a moment later: a replay of the first, or if the first was refused, its own decision.
 */
@ApplicationScoped
class HoldBatch {

    private static final Logger LOG = Logger.getLogger(HoldBatch.class);

    private final HoldTransaction transaction;
    private final IdempotentReplay replays;
    private final StockService stock;
    private final HoldsConfig config;

    HoldBatch(HoldTransaction transaction, IdempotentReplay replays, StockService stock, HoldsConfig config) {
        this.transaction = transaction;
        this.replays = replays;
        this.stock = stock;
        this.config = config;
    }

    /** Places the holds, in order, and completes each one's answer. */
    void place(List<PendingHold> holds) {
        Map<String, PendingHold> firsts = new HashMap<>();
        List<PendingHold> apart = new ArrayList<>(holds.size());
        Map<PendingHold, PendingHold> repeats = new LinkedHashMap<>();
        for (PendingHold hold : holds) {
            PendingHold first = hold.idempotencyKey() == null ? null : firsts.putIfAbsent(hold.idempotencyKey(), hold);
            if (first == null) {
                apart.add(hold);
            } else {
                repeats.put(hold, first);
            }
        }
        placeApart(apart);
        List<PendingHold> again = new ArrayList<>();
        repeats.forEach((repeat, first) -> {
            ReservationService.HoldOutcome outcome = first.answer().getNow(null);
            if (outcome == null) {
                again.add(repeat); // the first was refused, so the key is free: judged on its own, just after
            } else if (!repeat.fingerprint().equals(first.fingerprint())) {
                repeat.answer().completeExceptionally(IdempotentReplay.reused(repeat.idempotencyKey()));
            } else {
                repeat.answer().complete(new ReservationService.HoldOutcome(outcome.reservation(), true));
            }
        });
        if (!again.isEmpty()) {
            place(again);
        }
    }

    private void placeApart(List<PendingHold> holds) {
        HoldTransaction.Placed placed;
        try {
            placed = transaction.place(holds);
        } catch (RuntimeException failure) {
            if (holds.size() > 1 && !(failure instanceof HoldTransaction.OutcomeUnknown)
                    && !DatabaseUnavailable.causedBy(failure)) {
                LOG.infof("A batch of %d holds failed (%s); placing its halves apart", holds.size(), failure
                        .toString());
                placeApart(holds.subList(0, holds.size() / 2));
                placeApart(holds.subList(holds.size() / 2, holds.size()));
                return;
            }
            Throwable answer = failure instanceof HoldTransaction.OutcomeUnknown unknown ? unavailable(unknown)
                    : failure;
            holds.forEach(h -> h.answer().completeExceptionally(answer));
            return;
        }
        answer(holds, placed);
    }

    private void answer(List<PendingHold> holds, HoldTransaction.Placed placed) {
        Set<String> unknownLocations = unknownLocations(holds, placed);
        for (PendingHold hold : holds) {
            try {
                hold.answer().complete(outcome(hold, placed, unknownLocations));
            } catch (RuntimeException refusal) {
                hold.answer().completeExceptionally(refusal);
            }
        }
    }

    private ReservationService.HoldOutcome outcome(PendingHold hold, HoldTransaction.Placed placed,
                                                   Set<String> unknownLocations) {
        if (!placed.inserted().contains(hold.id())) {
            return replays.replay(hold.idempotencyKey(), hold.fingerprint());
        }
        Admission.Decision decision = placed.decisions().get(hold.id());
        if (decision instanceof Admission.Decision.Granted granted) {
            return new ReservationService.HoldOutcome(new ReservationView(hold.id(), ReservationStatus.HELD,
                    hold.request().orderRef(), placed.at(), placed.at().plusSeconds(hold.request().ttlSeconds()),
                    granted.lines()), false);
        }
        List<Shortage> shortages = ((Admission.Decision.Refused) decision).shortages();
        Set<String> unknown = new TreeSet<>();
        hold.request().lines().stream().map(HoldRequest.Line::location)
                .filter(l -> l != null && unknownLocations.contains(l)).forEach(unknown::add);
        if (!unknown.isEmpty()) {
            throw new ProblemException(ProblemType.UNKNOWN_LOCATION, "Unknown location(s): "
                    + String.join(", ", unknown), Map.of("unknownLocations", unknown));
        }
        throw new ProblemException(ProblemType.INSUFFICIENT_STOCK, "Not enough stock for " + shortages.size()
                + " of " + hold.request().lines().size() + " lines; nothing was held", Map.of("shortages", shortages));
    }

    /**
     * The locations named by refused lines that had nothing there, which do not exist. A line at a location that
     * does not exist is refused like a shortage; only then is the location worth a look-up.
     */
    private Set<String> unknownLocations(List<PendingHold> holds, HoldTransaction.Placed placed) {
        Set<String> suspects = new TreeSet<>();
        for (PendingHold hold : holds) {
            if (placed.decisions().get(hold.id()) instanceof Admission.Decision.Refused refused) {
                refused.shortages().stream().filter(s -> s.location() != null && s.available() == 0)
                        .forEach(s -> suspects.add(s.location()));
            }
        }
        return suspects.isEmpty() ? Set.of() : stock.unknownLocations(suspects);
    }

    private ProblemException unavailable(HoldTransaction.OutcomeUnknown unknown) {
        LOG.warn(unknown.getMessage());
        return new ProblemException(ProblemType.SERVICE_UNAVAILABLE, "The database did not confirm whether the hold"
                + " was placed; retry with the same Idempotency-Key to find out",
                Map.of("retryAfterSeconds", Math.max(1, config.retryAfter().toSeconds())));
    }
}
