package dev.stockroom.reservation;

import dev.stockroom.stock.StockKey;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A hold placed at checkout, with its lines. Lines never change after the hold is placed. */
@Entity
public class Reservation extends PanacheEntityBase {

    /** The order in which every transaction touches stock rows, so that no two can deadlock. */
    static final Comparator<ReservationLine> LOCK_ORDER = StockKey.lockOrder(l -> l.sku, l -> l.location);

    @Id
    public UUID id;

    @Column(name = "idempotency_key", length = 128, unique = true)
    public String idempotencyKey;

    @Column(name = "request_hash", length = 64)
    public String requestHash;

    @Column(name = "order_ref", nullable = false, length = 128)
    public String orderRef;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ReservationStatus status;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "reservation_line", joinColumns = @JoinColumn(name = "reservation_id"))
    public List<ReservationLine> lines = new ArrayList<>();

    static Optional<Reservation> findByIdempotencyKey(String key) {
        return find("idempotencyKey", key).firstResultOptional();
    }

    /**
     * Locks the reservation's row until the transaction ends, then loads it. The lock is taken with plain SQL:
     * PostgreSQL cannot lock outer-joined rows, so {@code findById(id, PESSIMISTIC_WRITE)} makes Hibernate lock in a
     * follow-on query, and with the eager lines that path failed under concurrent commits and releases
     * (NullPointerException in {@code TableLock.applyLoadedState}, found by the FlashSale load test).
     */
    static Optional<Reservation> lock(UUID id) {
        List<?> locked = getEntityManager()
                .createNativeQuery("SELECT id FROM reservation WHERE id = ?1 FOR UPDATE")
                .setParameter(1, id).getResultList();
        return locked.isEmpty() ? Optional.empty() : Optional.ofNullable(findById(id));
    }

    List<ReservationLine> linesInLockOrder() {
        return lines.stream().sorted(LOCK_ORDER).toList();
    }

    boolean expiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }
}
