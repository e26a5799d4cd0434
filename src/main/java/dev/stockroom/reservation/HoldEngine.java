package dev.stockroom.reservation;

import dev.stockroom.platform.flags.FlagKey;

import java.util.concurrent.CompletionStage;

/** A way of placing holds; {@link Kind} names them, and the flag {@link #FLAG} chooses one for each caller. */
interface HoldEngine {

    /** The ways of placing holds. */
    enum Kind {
        /** Each hold is its own transaction on a worker thread, behind the write bulkhead. */
        DIRECT,
        /** Concurrent holds share transactions: a hot row is locked, and committed, once per batch. */
        COMBINING
    }

    /**
     * {@code holds.engine}: which engine serves the caller's holds. Off, and whenever the flag file cannot say, it is
     * the direct engine, the one every release before the combining engine ran.
     */
    FlagKey.VariantFlag<Kind> FLAG = new FlagKey.VariantFlag<>("holds.engine", Kind.class, Kind.DIRECT);

    /** Takes a hold; its answer completes once the hold is decided, or it is refused. Never blocks the caller. */
    CompletionStage<ReservationService.HoldOutcome> submit(PendingHold hold);
}
