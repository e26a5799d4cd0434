package dev.stockroom.reservation;

import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/** Answers a hold whose {@code Idempotency-Key} is already bound to a reservation. */
@ApplicationScoped
class IdempotentReplay {

    /**
     * The reservation the key is bound to, as it is now (a hold since committed, released or expired says so), with
     * the timestamps of the first answer, marked as a replay; a different request under the same key is refused.
     *
     * @throws ProblemException 422 {@code idempotency-key-reused} when the request differs from the first
     */
    @Transactional
    ReservationService.HoldOutcome replay(String idempotencyKey, String fingerprint) {
        Reservation earlier = Reservation.findByIdempotencyKey(idempotencyKey).orElseThrow(
                () -> new IllegalStateException("Idempotency-Key '" + idempotencyKey + "' is bound to no reservation"));
        if (!fingerprint.equals(earlier.requestHash)) {
            throw reused(idempotencyKey);
        }
        return new ReservationService.HoldOutcome(ReservationView.of(earlier), true);
    }

    /** The answer to a different request under a key that is already bound. */
    static ProblemException reused(String idempotencyKey) {
        return new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                "Idempotency-Key '" + idempotencyKey + "' was first used with a different request");
    }
}
