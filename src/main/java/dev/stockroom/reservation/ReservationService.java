package dev.stockroom.reservation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockroom.platform.DatabaseTime;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import dev.stockroom.stock.Location;
import dev.stockroom.stock.Movement;
import dev.stockroom.stock.MovementKind;
import dev.stockroom.stock.StockLedger;
import dev.stockroom.stock.StockLevel;
import dev.stockroom.stock.StockLevelRepository;
import dev.stockroom.stock.StockService;
import dev.stockroom.stock.StockView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Places, commits and releases holds.
 *
 * <p>A hold is one transaction: the reservation row first (its unique idempotency key makes concurrent retries of
 * one request wait for each other, and a key already bound replays the first answer), then per line in
 * (sku, location) order one statement: the conditional update with the line's ledger row and reservation line.
 * Any line that cannot be covered rolls the whole hold back.
 */
@ApplicationScoped
public class ReservationService {

    private static final Comparator<HoldRequest.Line> LINE_LOCK_ORDER = Comparator
            .comparing(HoldRequest.Line::sku)
            .thenComparing(HoldRequest.Line::location, Comparator.nullsLast(Comparator.naturalOrder()));

    private final StockLevelRepository levels;
    private final StockLedger ledger;
    private final ReservationRepository reservations;
    private final StockService stock;
    private final ReservationConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    ReservationService(StockLevelRepository levels, StockLedger ledger, ReservationRepository reservations,
                       StockService stock, ReservationConfig config, ObjectMapper json, Clock clock) {
        this.levels = levels;
        this.ledger = ledger;
        this.reservations = reservations;
        this.stock = stock;
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /** What a hold request came to: the reservation, and whether it is the replay of an earlier answer. */
    public record HoldOutcome(ReservationView reservation, boolean replayed) {
    }

    /** One line that could not be covered, as reported in the 409 answer ({@code location} only if the line named one). */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Shortage(String sku, String location, int requested, int available) {
    }

    public HoldOutcome reserve(String idempotencyKey, HoldRequest request) {
        HoldRequest hold = normalize(request);
        String fingerprint = fingerprint(hold);
        try {
            return QuarkusTransaction.requiringNew().call(() -> place(idempotencyKey, fingerprint, hold));
        } catch (Shortfall shortfall) {
            // A line at a location that does not exist fails like a shortage; only then is it worth a look-up.
            requireKnownLocations(hold);
            List<Shortage> shortages = shortages(hold, shortfall.line);
            throw new ProblemException(ProblemType.INSUFFICIENT_STOCK,
                    "Not enough stock for " + shortages.size() + " of " + hold.lines().size() + " lines; nothing was held",
                    Map.of("shortages", shortages));
        }
    }

    /**
     * The hold transaction. Everything that does not depend on stock is written before the first stock row is
     * locked (the reservation row); each line is then one statement that takes the row lock, decides, and writes
     * the line's ledger row, outbox row (trigger) and reservation line. A stock row stays locked from its line's
     * statement to the commit, and nothing but the later lines' statements runs in between.
     */
    private HoldOutcome place(String idempotencyKey, String fingerprint, HoldRequest hold) throws SQLException {
        Instant now = DatabaseTime.now(clock);
        UUID id = UUID.randomUUID();
        Instant expiresAt = now.plusSeconds(hold.ttlSeconds());
        if (!reservations.insertHeld(id, idempotencyKey, fingerprint, hold.orderRef(), now, expiresAt)) {
            return replay(idempotencyKey, fingerprint);
        }
        List<ReservationView.Line> lines = new ArrayList<>();
        for (HoldRequest.Line line : hold.lines().stream().sorted(LINE_LOCK_ORDER).toList()) {
            StockLevelRepository.Rider reservationLine = ReservationRepository.line(id, line.quantity());
            Optional<StockLevel> held = line.location() == null
                    ? levels.reserveAnywhere(line.sku(), line.quantity(), id, now, reservationLine)
                    : levels.reserve(line.sku(), line.location(), line.quantity(), id, now, reservationLine);
            StockLevel level = held.orElseThrow(() -> new Shortfall(line));
            lines.add(new ReservationView.Line(line.sku(), level.location(), line.quantity()));
        }
        lines.sort(ReservationView.Line.LOCK_ORDER);
        return new HoldOutcome(new ReservationView(id, ReservationStatus.HELD, hold.orderRef(), now, expiresAt, lines),
                false);
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
        List<Movement> movements = new ArrayList<>();
        for (ReservationLine line : reservation.linesInLockOrder()) {
            levels.shift(line.sku, line.location, -line.quantity, line.quantity, now);
            movements.add(Movement.ofHold(MovementKind.COMMIT, line.sku, line.location, -line.quantity,
                    line.quantity, id, now));
        }
        ledger.record(movements, now);
        reservation.status = ReservationStatus.COMMITTED;
        reservation.updatedAt = now;
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
        List<Movement> movements = new ArrayList<>();
        for (ReservationLine line : reservation.linesInLockOrder()) {
            int unshipped = line.quantity - line.shipped;
            if (unshipped == 0) {
                continue;
            }
            int reservedDelta = held ? -line.quantity : 0;
            int committedDelta = held ? 0 : -unshipped;
            levels.shift(line.sku, line.location, reservedDelta, committedDelta, now);
            movements.add(Movement.ofHold(held ? MovementKind.RELEASE : MovementKind.CANCEL, line.sku, line.location,
                    reservedDelta, committedDelta, id, now));
        }
        ledger.record(movements, now);
        reservation.status = ReservationStatus.RELEASED;
        reservation.updatedAt = now;
        return ReservationView.of(reservation);
    }

    /**
     * The answer to a retried hold: the reservation that {@code idempotencyKey} is bound to, as it is now (a hold
     * that was since committed, released or expired says so), with the timestamps of the first answer. A different
     * request under the same key is refused. Runs in the caller's transaction, after the key was found bound.
     */
    HoldOutcome replay(String idempotencyKey, String fingerprint) {
        Reservation earlier = Reservation.findByIdempotencyKey(idempotencyKey).orElseThrow(
                () -> new IllegalStateException("Idempotency-Key '" + idempotencyKey + "' is bound to no reservation"));
        if (!fingerprint.equals(earlier.requestHash)) {
            throw new ProblemException(ProblemType.IDEMPOTENCY_KEY_REUSED,
                    "Idempotency-Key '" + idempotencyKey + "' was first used with a different request");
        }
        return new HoldOutcome(ReservationView.of(earlier), true);
    }

    /**
     * Applies the configured limits and the default TTL, and adds up lines that name the same SKU and location (or
     * the same SKU, both without location): a cart that lists an item twice holds the sum. A SKU may not have both a
     * line with a location and one without, since the sourcing of the one would depend on the other.
     */
    HoldRequest normalize(HoldRequest request) {
        if (request.lines().size() > config.maxLines()) {
            throw ProblemException.invalid("lines", "at most " + config.maxLines() + " lines per hold");
        }
        int ttl = request.ttlSeconds() == null ? config.defaultTtlSeconds() : request.ttlSeconds();
        if (ttl > config.maxTtlSeconds()) {
            throw ProblemException.invalid("ttlSeconds", "must be between 1 and " + config.maxTtlSeconds());
        }
        Map<List<String>, HoldRequest.Line> merged = new LinkedHashMap<>();
        Set<String> located = new HashSet<>();
        Set<String> sourced = new HashSet<>();
        for (int i = 0; i < request.lines().size(); i++) {
            HoldRequest.Line line = request.lines().get(i);
            String field = "lines[" + i + "]";
            if (line.quantity() > config.maxLineQuantity()) {
                throw ProblemException.invalid(field + ".quantity", "must be at most " + config.maxLineQuantity());
            }
            (line.location() == null ? sourced : located).add(line.sku());
            if (located.contains(line.sku()) && sourced.contains(line.sku())) {
                throw ProblemException.invalid(field, "SKU '" + line.sku() + "' has lines with and without location:"
                        + " a line without location must be the only line of its SKU");
            }
            merged.merge(Arrays.asList(line.sku(), line.location()), line, (a, b) ->
                    new HoldRequest.Line(a.sku(), a.quantity() + b.quantity(), a.location()));
        }
        return new HoldRequest(request.orderRef(), List.copyOf(merged.values()), ttl);
    }

    private String fingerprint(HoldRequest hold) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(hold));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot fingerprint a hold request", e);
        }
    }

    private static void requireKnownLocations(HoldRequest hold) {
        Set<String> named = new TreeSet<>();
        hold.lines().stream().map(HoldRequest.Line::location).filter(l -> l != null).forEach(named::add);
        Set<String> unknown = QuarkusTransaction.requiringNew().call(() -> Location.unknown(named));
        if (!unknown.isEmpty()) {
            throw new ProblemException(ProblemType.UNKNOWN_LOCATION, "Unknown location(s): " + String.join(", ", unknown),
                    Map.of("unknownLocations", unknown));
        }
    }

    /**
     * The lines that cannot be covered now. {@code available} is what the named location could hold, or for a line
     * without location the most that any one active location could. The line that failed is always listed.
     */
    private List<Shortage> shortages(HoldRequest hold, HoldRequest.Line failed) {
        Map<String, StockView> views;
        try {
            views = stock.find(hold.lines().stream().map(HoldRequest.Line::sku).distinct().toList());
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        List<Shortage> shortages = new ArrayList<>();
        for (HoldRequest.Line line : hold.lines()) {
            StockView view = views.get(line.sku());
            int available = view == null ? 0 : view.locations().stream()
                    .filter(l -> line.location() == null || l.location().equals(line.location()))
                    .mapToInt(StockView.LocationStock::available).max().orElse(0);
            if (available < line.quantity() || line == failed) {
                shortages.add(new Shortage(line.sku(), line.location(), line.quantity(), available));
            }
        }
        return shortages;
    }

    private static ProblemException notFound(UUID id) {
        return new ProblemException(ProblemType.RESERVATION_NOT_FOUND, "No reservation " + id);
    }

    private static ProblemException holdExpired(Reservation reservation) {
        return new ProblemException(ProblemType.HOLD_EXPIRED,
                "The hold expired at " + reservation.expiresAt + "; place a new one");
    }

    /** Thrown inside the hold transaction to roll it back when a line cannot be covered. */
    static final class Shortfall extends RuntimeException {
        final transient HoldRequest.Line line;

        Shortfall(HoldRequest.Line line) {
            super(null, null, false, false);
            this.line = line;
        }
    }
}
