package dev.stockroom.reservation;

import dev.stockroom.platform.DatabaseTime;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.platform.flags.FeatureFlags;
import dev.stockroom.stock.LockedStock;
import dev.stockroom.stock.Movement;
import dev.stockroom.stock.MovementKind;
import dev.stockroom.stock.StockKey;
import dev.stockroom.stock.StockService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * Places, commits and releases holds. Holds go to the {@link HoldEngine} the flag {@code holds.engine} chooses for the caller; commit and release lock the
 * reservation, then its stock rows in the one lock order, and write those rows once each.
 */
@ApplicationScoped
public class ReservationService {

    private final HoldIntake intake;
    private final HoldCombiner combiner;
    private final DirectHolds direct;
    private final FeatureFlags flags;
    private final StockService stock;
    private final Shipments shipments;
    private final Clock clock;

    ReservationService(HoldIntake intake, HoldCombiner combiner, DirectHolds direct, FeatureFlags flags,
                       StockService stock, Shipments shipments, Clock clock) {
        this.intake = intake;
        this.combiner = combiner;
        this.direct = direct;
        this.flags = flags;
        this.stock = stock;
        this.shipments = shipments;
        this.clock = clock;
    }

    /** What a hold request came to: the reservation, and whether it is the replay of an earlier answer. */
    public record HoldOutcome(ReservationView reservation, boolean replayed) {
    }

    /**
     * Holds every line of the request or none. The answer completes when the hold is decided; it fails with a
     * problem (409 shortages, 422, 503) when it is not placed.
     *
     * @throws ProblemException 400 at once when the request passes a limit
     */
    public CompletionStage<HoldOutcome> reserve(String idempotencyKey, HoldRequest request) {
        PendingHold hold = intake.take(idempotencyKey, request);
        HoldEngine engine = flags.variant(HoldEngine.FLAG) == HoldEngine.Kind.COMBINING ? combiner : direct;
        return engine.submit(hold);
    }

    @Transactional
    public Optional<ReservationView> find(UUID id) {
        return Reservation.<Reservation>findByIdOptional(id).map(ReservationView::of);
    }

    /** HELD → COMMITTED; committing a committed (or already shipped) reservation again changes nothing. */
    @Transactional
    public ReservationView commit(UUID id) throws SQLException {
        Instant now = DatabaseTime.now(clock);
        Reservation reservation = Reservation.lock(id).orElseThrow(() -> notFound(id));
        switch (reservation.status) {
            case COMMITTED, FULFILLED -> {
                return ReservationView.of(reservation);
            }
            case RELEASED -> throw new ProblemException(ProblemType.INVALID_STATE,
                    "Reservation " + id + " was released and cannot be committed");
            case EXPIRED -> throw holdExpired(reservation);
            case HELD -> {
                if (reservation.expiredAt(now)) {
                    throw holdExpired(reservation);
                }
            }
        }
        settle(reservation, ReservationStatus.COMMITTED, now, line -> Movement.ofHold(MovementKind.COMMIT, line.sku,
                line.location, -line.quantity, line.quantity, id, now));
        return ReservationView.of(reservation);
    }

    /**
     * Gives the quantity back: a held reservation is released, a committed one cancelled. Releasing a released or
     * expired reservation again changes nothing; a shipped one cannot be released. Cancelling a partly shipped
     * order gives back only what has not shipped: shipped goods are gone from the shelf, and their ledger rows stay.
     */
    @Transactional
    public ReservationView release(UUID id) throws SQLException {
        Instant now = DatabaseTime.now(clock);
        Reservation reservation = Reservation.lock(id).orElseThrow(() -> notFound(id));
        switch (reservation.status) {
            case RELEASED, EXPIRED -> {
                return ReservationView.of(reservation);
            }
            case FULFILLED -> throw new ProblemException(ProblemType.INVALID_STATE,
                    "Reservation " + id + " was shipped and cannot be released");
            default -> {
                // HELD is released, COMMITTED is cancelled.
            }
        }
        boolean held = reservation.status == ReservationStatus.HELD;
        settle(reservation, ReservationStatus.RELEASED, now, line -> held
                ? Movement.ofHold(MovementKind.RELEASE, line.sku, line.location, -line.quantity, 0, id, now)
                : Movement.ofHold(MovementKind.CANCEL, line.sku, line.location, 0, -(line.quantity - line.shipped),
                        id, now));
        return ReservationView.of(reservation);
    }

    /**
     * Moves the locked reservation to {@code status} and applies each line's movement to its stock row. The
     * reservation's own change is written first, so that the stock rows stay locked for two statements and the
     * commit only.
     */
    private void settle(Reservation reservation, ReservationStatus status, Instant now,
                        java.util.function.Function<ReservationLine, Movement> movement) throws SQLException {
        reservation.status = status;
        reservation.updatedAt = now;
        Reservation.flush();
        List<Movement> movements = reservation.lines.stream().map(movement)
                .filter(m -> m.reservedDelta() != 0 || m.committedDelta() != 0).toList();
        Set<StockKey> keys = new TreeSet<>();
        movements.forEach(m -> keys.add(m.key()));
        LockedStock locked = stock.lock(keys, Set.of());
        movements.forEach(locked::apply);
        stock.write(locked, now);
    }

    /**
     * Locks the reservations that shipments name, in the caller's transaction, and loads their lines; unknown ids
     * are absent. Call it before locking any stock level: commit, release and the expiry sweeper lock a reservation
     * first, then its stock rows.
     */
    public Map<UUID, ShippingOrder> lockForShipping(Collection<UUID> ids) throws SQLException {
        return shipments.lock(ids);
    }

    /** Writes what has shipped of the orders, in the caller's transaction; one shipped in full becomes FULFILLED. */
    public void recordShipments(Collection<ShippingOrder> orders, Instant now) throws SQLException {
        shipments.record(orders, now);
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(ProblemType.RESERVATION_NOT_FOUND, "No reservation " + id);
    }

    private static ProblemException holdExpired(Reservation reservation) {
        return new ProblemException(ProblemType.HOLD_EXPIRED,
                "The hold expired at " + reservation.expiresAt + "; place a new one");
    }
}
