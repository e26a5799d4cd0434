package dev.stockroom.reservation;

import java.util.concurrent.CompletionStage;

/** A way of placing holds; {@link HoldsConfig.Engine} names them. */
interface HoldEngine {

    /** Takes a hold; its answer completes once the hold is decided, or it is refused. Never blocks the caller. */
    CompletionStage<ReservationService.HoldOutcome> submit(PendingHold hold);
}
