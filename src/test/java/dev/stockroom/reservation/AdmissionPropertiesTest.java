package dev.stockroom.reservation;

import dev.stockroom.stock.LockedStock;
import dev.stockroom.stock.StockKey;
import dev.stockroom.stock.StockLevel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admission rule of holds against a plain model of it, over generated stock and batches of holds: what a batch
 * grants never exceeds what was available, each hold gets all its lines or none, and a batch decides exactly as
 * holding one at a time in arrival order would. Each case comes from a seed, which a failure names, so it can be
 * replayed.
 */
class AdmissionPropertiesTest {

    private static final List<String> SKUS = List.of("SHOE-RED-42", "SHOERACK-1", "Zeta", "alpha");
    /** LOC-9 never has a stock level: a line there can never be held. */
    private static final List<String> LOCATIONS = List.of("LOC-1", "LOC-2", "LOC-3", "LOC-9");
    private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");

    /** A generated case: stock levels, their locations' facts, and holds in arrival order. */
    record Case(long seed, List<LockedStock.Locked> stock, List<PendingHold> holds) {
        @Override
        public String toString() {
            return "case of seed " + seed;
        }
    }

    static LongStream seeds() {
        return LongStream.rangeClosed(1, 300);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void batch_decidesAsOneAtATimeInArrivalOrder(long seed) {
        Case c = generate(seed);
        // Given the same stock twice
        LockedStock batched = LockedStock.of(c.stock());
        Model model = new Model(c.stock());

        // When a batch is decided, and the model holds one at a time
        List<Admission.Decision> decisions = Admission.decide(c.holds(), batched, NOW);

        // Then every decision is the model's, and so is what is left
        for (int i = 0; i < c.holds().size(); i++) {
            assertThat(decisions.get(i)).as("hold %d of %s", i, c).isEqualTo(model.decide(c.holds().get(i)));
        }
        for (StockLevel level : batched.levels()) {
            assertThat(level.reserved()).isEqualTo(model.reserved.get(StockKey.of(level)));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void batch_neverGrantsMoreThanWasAvailable(long seed) {
        Case c = generate(seed);
        LockedStock stock = LockedStock.of(c.stock());
        Map<StockKey, Integer> availableBefore = new HashMap<>();
        c.stock().forEach(l -> availableBefore.put(StockKey.of(l.level()), stock.available(StockKey.of(l.level()))));

        List<Admission.Decision> decisions = Admission.decide(c.holds(), stock, NOW);

        Map<StockKey, Integer> granted = new HashMap<>();
        decisions.stream().filter(d -> d instanceof Admission.Decision.Granted)
                .flatMap(d -> ((Admission.Decision.Granted) d).lines().stream())
                .forEach(l -> granted.merge(new StockKey(l.sku(), l.location()), l.quantity(), Integer::sum));
        granted.forEach((key, units) -> assertThat(units).as(key.toString())
                .isLessThanOrEqualTo(availableBefore.getOrDefault(key, 0)));
        for (StockLevel level : stock.levels()) {
            assertThat(level.onHand() - level.reserved() - level.committed() - level.safetyStock())
                    .as("nothing oversold at %s", StockKey.of(level))
                    .isGreaterThanOrEqualTo(Math.min(0, availableBeforeRaw(c, StockKey.of(level))));
        }
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void eachHold_getsAllItsLinesOrNone(long seed) {
        Case c = generate(seed);
        LockedStock stock = LockedStock.of(c.stock());

        List<Admission.Decision> decisions = Admission.decide(c.holds(), stock, NOW);

        for (int i = 0; i < decisions.size(); i++) {
            PendingHold hold = c.holds().get(i);
            long ledgerRows = stock.movements().stream().filter(m -> m.reservationId().equals(hold.id())).count();
            if (decisions.get(i) instanceof Admission.Decision.Granted granted) {
                assertThat(granted.lines()).hasSameSizeAs(hold.request().lines());
                for (HoldRequest.Line line : hold.request().lines()) {
                    assertThat(granted.lines()).anySatisfy(g -> {
                        assertThat(g.sku()).isEqualTo(line.sku());
                        assertThat(g.quantity()).isEqualTo(line.quantity());
                        if (line.location() != null) {
                            assertThat(g.location()).isEqualTo(line.location());
                        }
                    });
                }
                assertThat(ledgerRows).isEqualTo(hold.request().lines().size());
            } else {
                assertThat(((Admission.Decision.Refused) decisions.get(i)).shortages()).isNotEmpty();
                assertThat(ledgerRows).isZero();
            }
        }
    }

    private static int availableBeforeRaw(Case c, StockKey key) {
        return c.stock().stream().filter(l -> StockKey.of(l.level()).equals(key)).findFirst()
                .map(l -> l.level().onHand() - l.level().reserved() - l.level().committed() - l.level().safetyStock())
                .orElse(0);
    }

    /**
     * Three locations with random priorities (ties included) and some inactive, a fourth that never has stock; four
     * SKUs whose names sort differently by bytes and by many collations; stock levels on about two rows in three,
     * some with nothing available; 1 to 40 holds of 1 to 3 lines, a third of them without location.
     */
    private static Case generate(long seed) {
        Random random = new Random(seed);
        Map<String, Integer> priority = new HashMap<>();
        Map<String, Boolean> active = new HashMap<>();
        for (String location : LOCATIONS.subList(0, 3)) {
            priority.put(location, random.nextInt(3));
            active.put(location, random.nextInt(4) > 0);
        }
        List<LockedStock.Locked> stock = new ArrayList<>();
        for (String sku : SKUS) {
            for (String location : LOCATIONS.subList(0, 3)) {
                if (random.nextInt(10) < 7) {
                    stock.add(new LockedStock.Locked(new StockLevel(sku, location, random.nextInt(13),
                            random.nextInt(4), random.nextInt(4), random.nextInt(3), 1, NOW), active.get(location),
                            priority.get(location)));
                }
            }
        }
        List<PendingHold> holds = new ArrayList<>();
        for (int h = 1 + random.nextInt(40); h > 0; h--) {
            holds.add(hold(random));
        }
        return new Case(seed, stock, holds);
    }

    /** A hold of 1 to 3 lines that passes the request rules: one line per row, a sourced line alone for its SKU. */
    private static PendingHold hold(Random random) {
        List<HoldRequest.Line> lines = new ArrayList<>();
        Set<String> skus = new HashSet<>();
        Set<StockKey> rows = new HashSet<>();
        Set<String> sourced = new HashSet<>();
        for (int l = 1 + random.nextInt(3); l > 0; l--) {
            String sku = SKUS.get(random.nextInt(SKUS.size()));
            String location = random.nextInt(3) == 0 ? null : LOCATIONS.get(random.nextInt(LOCATIONS.size()));
            boolean fits = location == null ? !skus.contains(sku)
                    : !sourced.contains(sku) && !rows.contains(new StockKey(sku, location));
            if (fits) {
                lines.add(new HoldRequest.Line(sku, 1 + random.nextInt(5), location));
                skus.add(sku);
                if (location == null) {
                    sourced.add(sku);
                } else {
                    rows.add(new StockKey(sku, location));
                }
            }
        }
        return new PendingHold(UUID.randomUUID(), null, "f", new HoldRequest("o", lines, 600), NOW);
    }

    /**
     * The rule written plainly, one hold at a time: a named line fits if its location is active and has the
     * quantity available; a line without location goes to the active location with the lowest priority number, then
     * the most available, then the lowest code, among those that can cover it. A hold takes its lines only if all fit.
     */
    private static final class Model {
        final Map<StockKey, Integer> onHandLessClaims = new HashMap<>();
        final Map<StockKey, Integer> reserved = new HashMap<>();
        final Map<StockKey, Boolean> active = new HashMap<>();
        final Map<StockKey, Integer> priority = new HashMap<>();

        Model(List<LockedStock.Locked> stock) {
            for (LockedStock.Locked l : stock) {
                StockKey key = StockKey.of(l.level());
                StockLevel level = l.level();
                onHandLessClaims.put(key, level.onHand() - level.committed() - level.safetyStock());
                reserved.put(key, level.reserved());
                active.put(key, l.active());
                priority.put(key, l.priority());
            }
        }

        int available(StockKey key) {
            if (!active.getOrDefault(key, false)) {
                return 0;
            }
            return Math.max(0, onHandLessClaims.get(key) - reserved.get(key));
        }

        Admission.Decision decide(PendingHold hold) {
            List<ReservationView.Line> held = new ArrayList<>();
            List<Shortage> shortages = new ArrayList<>();
            for (HoldRequest.Line line : hold.linesInLockOrder()) {
                Optional<StockKey> at;
                int available;
                if (line.location() != null) {
                    StockKey key = new StockKey(line.sku(), line.location());
                    available = available(key);
                    at = available >= line.quantity() ? Optional.of(key) : Optional.empty();
                } else {
                    List<StockKey> candidates = reserved.keySet().stream().filter(k -> k.sku().equals(line.sku()))
                            .toList();
                    available = candidates.stream().mapToInt(this::available).max().orElse(0);
                    at = candidates.stream().filter(k -> available(k) >= line.quantity())
                            .min(Comparator.<StockKey>comparingInt(priority::get)
                                    .thenComparing(Comparator.<StockKey>comparingInt(this::available).reversed())
                                    .thenComparing(StockKey::location));
                }
                if (at.isPresent()) {
                    held.add(new ReservationView.Line(line.sku(), at.get().location(), line.quantity()));
                } else {
                    shortages.add(new Shortage(line.sku(), line.location(), line.quantity(), available));
                }
            }
            if (!shortages.isEmpty()) {
                return new Admission.Decision.Refused(shortages);
            }
            held.forEach(l -> reserved.merge(new StockKey(l.sku(), l.location()), l.quantity(), Integer::sum));
            held.sort(ReservationView.Line.LOCK_ORDER);
            return new Admission.Decision.Granted(held);
        }
    }
}
