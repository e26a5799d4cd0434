package dev.stockroom.stock;

import dev.stockroom.platform.DatabaseTime;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.platform.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/** Reads stock levels and applies audited corrections. */
@ApplicationScoped
public class StockService {

    private final StockLevelRepository levels;
    private final LockedStockRepository locked;
    private final StockLedger ledger;
    private final Clock clock;

    StockService(StockLevelRepository levels, LockedStockRepository locked, StockLedger ledger, Clock clock) {
        this.levels = levels;
        this.locked = locked;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * Locks, until the caller's transaction ends, the stock levels at {@code keys} and every stock level of
     * {@code wholeSkus} (for lines that the sourcing rule places), in the one lock order.
     */
    public LockedStock lock(Collection<StockKey> keys, Collection<String> wholeSkus) throws SQLException {
        return locked.lock(keys, wholeSkus);
    }

    /** Writes what was changed on {@code stock}: each row once, with one ledger row per change. */
    public List<StockLevel> write(LockedStock stock, Instant now) throws SQLException {
        return locked.write(stock, now);
    }

    /**
     * Reserves {@code quantity} at {@code key} for a hold in one statement, with its ledger row, in the caller's
     * transaction: the row is locked by that statement and stays locked until the transaction ends, so a caller that
     * writes everything else first keeps a hot row locked for this statement and its COMMIT only.
     *
     * @return the row as written; empty, with nothing written, when the stock level is missing, its location
     *         inactive or that much not available
     */
    public Optional<StockLevel> reserve(StockKey key, int quantity, UUID reservationId, Instant now)
            throws SQLException {
        return locked.reserve(key, quantity, reservationId, now);
    }

    /**
     * The codes among {@code codes} that name a location, in the caller's transaction. Plain JDBC, without the ORM:
     * a batch of warehouse events asks this once and needs no entities.
     */
    public Set<String> knownLocations(Collection<String> codes) throws SQLException {
        return codes.isEmpty() ? Set.of() : levels.knownLocations(codes);
    }

    /** The codes among {@code codes} that name no location. */
    @Transactional
    public Set<String> unknownLocations(Collection<String> codes) {
        return Location.unknown(codes);
    }

    /** One view per SKU that has any stock level, in the order asked; SKUs without one are left out. */
    @Transactional
    public Map<String, StockView> find(Collection<String> skus) throws SQLException {
        Map<String, List<StockLevel>> bySku = levels.find(skus).stream()
                .collect(Collectors.groupingBy(StockLevel::sku, LinkedHashMap::new, Collectors.toList()));
        Set<String> inactive = inactiveLocations();
        Map<String, StockView> views = new LinkedHashMap<>();
        for (String sku : skus) {
            List<StockLevel> found = bySku.get(sku);
            if (found != null) {
                views.put(sku, StockView.of(sku, found, inactive));
            }
        }
        return views;
    }

    /**
     * Sets on-hand and safety stock of a SKU at a location, creating the stock level if the SKU is new there. The
     * row is locked for the change, and the ledger records the deltas.
     *
     * @return true if the stock level was created
     */
    @Transactional
    public boolean correct(String sku, String location, int onHand, Integer safetyStock, String reason)
            throws SQLException {
        if (Location.findById(location) == null) {
            throw new ProblemException(ProblemType.LOCATION_NOT_FOUND, "No location '" + location + "'");
        }
        Instant now = DatabaseTime.now(clock);
        StockLevelRepository.Locked locked = levels.lockForCorrection(sku, location, now);
        StockLevel before = locked.level();
        boolean created = locked.created();
        int newSafety = safetyStock == null ? before.safetyStock() : safetyStock;
        if (before.onHand() == onHand && before.safetyStock() == newSafety) {
            return created;
        }
        levels.set(sku, location, onHand, newSafety, now);
        ledger.record(List.of(new Movement(sku, location, MovementKind.CORRECTION, onHand - before.onHand(), 0, 0,
                newSafety - before.safetyStock(), null, null, reason, now)), now);
        return created;
    }

    private static Set<String> inactiveLocations() {
        List<Location> inactive = Location.list("active", false);
        return inactive.stream().map(l -> l.code).collect(Collectors.toSet());
    }
}
