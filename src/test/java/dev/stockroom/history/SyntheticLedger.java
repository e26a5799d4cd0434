package dev.stockroom.history;

import dev.stockroom.stock.MovementKind;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A realistic ledger, one day's rows at a time, exactly {@code rows} in all: SKUs drawn with Zipf popularity,
 * popular ones stocked at more locations; days shaped by the week (busier towards the weekend), the season (a
 * November-December peak) and a few flash-sale days on which a handful of SKUs sell many times over. Sales are holds
 * that are committed and shipped, released or left to expire; shelves are refilled when they run low; adjustments,
 * counts, transfers and corrections come in between. On-hand never goes below zero, and every hold is settled within
 * the generated days, so the rows replay to stock levels with nothing reserved or committed.
 */
final class SyntheticLedger implements Iterator<List<LedgerRow>> {

    /** The size and shape of a ledger. */
    record Shape(long rows, int skus, int locations, int days, LocalDate end, long seed, String prefix) {
    }

    private static final double[] WEEKDAY = {0.9, 0.9, 0.95, 1.0, 1.15, 1.3, 1.1};
    private static final double[] HOUR = {0.2, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4, 0.7, 1.0, 1.2, 1.3, 1.3, 1.4, 1.3, 1.2,
            1.2, 1.3, 1.4, 1.5, 1.6, 1.5, 1.1, 0.7, 0.4};
    private static final String[] LOSSES = {"damaged", "lost", "stolen", "expired shelf life"};

    private final Shape shape;
    private final SplittableRandom random;
    private final double[] popularity;
    private final int[][] stockedAt;
    private final int[] onHand;
    private final double[] dayWeight;
    private final boolean[] flashSale;
    private final int[] saleSkus;
    private final double[] hourCdf;
    private final double totalWeight;
    private long written;
    private double budget;
    private int day;
    private long events;

    SyntheticLedger(Shape shape) {
        this.shape = shape;
        this.random = new SplittableRandom(shape.seed());
        this.popularity = new double[shape.skus()];
        double sum = 0;
        for (int k = 0; k < shape.skus(); k++) {
            sum += 1.0 / (k + 1);
            popularity[k] = sum;
        }
        this.stockedAt = new int[shape.skus()][];
        for (int k = 0; k < shape.skus(); k++) {
            double rank = k / (double) shape.skus();
            int count = Math.min(shape.locations(), 2 + (int) ((shape.locations() - 2) * Math.pow(1 - rank, 8)));
            stockedAt[k] = random.ints(0, shape.locations()).distinct().limit(count).sorted().toArray();
        }
        this.onHand = new int[shape.skus() * shape.locations()];
        this.dayWeight = new double[shape.days()];
        this.flashSale = new boolean[shape.days()];
        for (int i = 0; i < Math.max(1, shape.days() / 60); i++) {
            flashSale[random.nextInt(shape.days())] = true;
        }
        double total = 0;
        for (int d = 0; d < shape.days(); d++) {
            LocalDate date = firstDay().plusDays(d);
            double season = 1 + 0.25 * Math.sin(2 * Math.PI * (date.getDayOfYear() - 100) / 365.0)
                    + (date.getMonthValue() == 11 && date.getDayOfMonth() >= 20
                            || date.getMonthValue() == 12 && date.getDayOfMonth() <= 24 ? 0.8 : 0);
            dayWeight[d] = WEEKDAY[date.getDayOfWeek().getValue() - 1] * season * (flashSale[d] ? 4 : 1);
            total += dayWeight[d];
        }
        this.totalWeight = total;
        this.saleSkus = random.ints(shape.skus() / 20, Math.max(shape.skus() / 20 + 1, shape.skus() / 2))
                .limit(Math.min(10, shape.skus())).toArray();
        this.hourCdf = cumulative(HOUR);
    }

    LocalDate firstDay() {
        return shape.end().minusDays(shape.days());
    }

    /** Location codes, warehouses first; with the prefix. */
    List<String> locations() {
        List<String> codes = new ArrayList<>();
        for (int l = 0; l < shape.locations(); l++) {
            codes.add(location(l));
        }
        return codes;
    }

    @Override
    public boolean hasNext() {
        return day < shape.days();
    }

    @Override
    public List<LedgerRow> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        boolean last = day == shape.days() - 1;
        budget += shape.rows() * dayWeight[day] / totalWeight;
        // Three rows short of the end at most before the last day, which then fills up exactly.
        long target = last ? shape.rows() : Math.min(Math.round(budget), shape.rows() - 3);
        Instant start = firstDay().plusDays(day).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant end = shape.end().atStartOfDay(ZoneOffset.UTC).toInstant();
        List<LedgerRow> rows = new ArrayList<>();
        while (written + rows.size() < target - (last ? 3 : 0)) {
            event(rows, start, end);
        }
        while (written + rows.size() < target) {
            int sku = sku();
            receive(rows, sku, stockedAt[sku][0], at(start, end), 10 + random.nextInt(90));
        }
        rows.sort(Comparator.comparing(LedgerRow::occurredAt));
        written += rows.size();
        day++;
        return rows;
    }

    private void event(List<LedgerRow> rows, Instant dayStart, Instant end) {
        int sku = flashSale[day] && random.nextDouble() < 0.5 ? saleSkus[random.nextInt(saleSkus.length)] : sku();
        int[] at = stockedAt[sku];
        int location = at[random.nextInt(at.length)];
        Instant t = at(dayStart, end);
        double kind = random.nextDouble();
        if (kind < 0.86) {
            sell(rows, sku, location, t, end);
        } else if (kind < 0.90) {
            receive(rows, sku, location, t, 10 + random.nextInt(200));
        } else if (kind < 0.935) {
            boolean found = random.nextDouble() < 0.2;
            int units = found ? 1 + random.nextInt(3) : -Math.min(level(sku, location), 1 + random.nextInt(5));
            change(rows, sku, location, MovementKind.ADJUSTED, units, found ? "found" : LOSSES[random.nextInt(4)], t);
        } else if (kind < 0.96) {
            int difference = -Math.min(level(sku, location), random.nextInt(4)) + random.nextInt(3);
            change(rows, sku, location, MovementKind.COUNTED, difference, "cycle count", t);
        } else if (kind < 0.997 && at.length > 1) {
            int to = at[random.nextInt(at.length)];
            int units = Math.min(level(sku, location), 1 + random.nextInt(20));
            if (to != location && units > 0) {
                String id = eventId();
                rows.add(row(sku, location, MovementKind.TRANSFERRED, -units, 0, 0, null, id, null, t));
                rows.add(row(sku, to, MovementKind.TRANSFERRED, units, 0, 0, null, id, null, t));
                onHand[pair(sku, location)] -= units;
                onHand[pair(sku, to)] += units;
            }
        } else {
            int set = random.nextInt(Math.max(1, level(sku, location) * 2 + 5));
            change(rows, sku, location, MovementKind.CORRECTION, set - level(sku, location), "audit", t);
        }
    }

    /** A hold, then its commit and shipment, its release, or its expiry. Refills the shelf first when needed. */
    private void sell(List<LedgerRow> rows, int sku, int location, Instant t, Instant end) {
        int units = 1 + (random.nextDouble() < 0.8 ? 0 : random.nextInt(3));
        if (level(sku, location) < units) {
            receive(rows, sku, location, t.minusSeconds(60), units + 20 + random.nextInt(200));
        }
        UUID hold = new UUID(random.nextLong(), random.nextLong());
        rows.add(row(sku, location, MovementKind.HOLD, 0, units, 0, hold, null, null, t));
        double outcome = random.nextDouble();
        Instant later = earlier(t.plusSeconds(30 + random.nextInt(600)), end);
        if (outcome < 0.65) {
            rows.add(row(sku, location, MovementKind.COMMIT, 0, -units, units, hold, null, null, later));
            Instant shipped = earlier(later.plus(Duration.ofMinutes(60 + random.nextInt(1200))), end);
            rows.add(row(sku, location, MovementKind.SHIPPED, -units, 0, -units, hold, eventId(), null, shipped));
            onHand[pair(sku, location)] -= units;
        } else if (outcome < 0.9) {
            rows.add(row(sku, location, MovementKind.RELEASE, 0, -units, 0, hold, null, null, later));
        } else {
            rows.add(row(sku, location, MovementKind.EXPIRE, 0, -units, 0, hold, null, null,
                    earlier(t.plusSeconds(600), end)));
        }
    }

    private void receive(List<LedgerRow> rows, int sku, int location, Instant t, int units) {
        change(rows, sku, location, MovementKind.RECEIVED, units, null, t);
    }

    private void change(List<LedgerRow> rows, int sku, int location, MovementKind kind, int units, String reason,
                        Instant t) {
        if (units == 0) {
            return;
        }
        rows.add(row(sku, location, kind, units, 0, 0, null, kind == MovementKind.CORRECTION ? null : eventId(),
                reason, t));
        onHand[pair(sku, location)] += units;
    }

    private LedgerRow row(int sku, int location, MovementKind kind, int onHandDelta, int reservedDelta,
                          int committedDelta, UUID reservation, String eventId, String reason, Instant t) {
        return new LedgerRow(sku(sku), location(location), kind, onHandDelta, reservedDelta, committedDelta, 0,
                reservation, eventId, reason, t, t.plusMillis(random.nextInt(250)));
    }

    private int sku() {
        int k = Arrays.binarySearch(popularity, random.nextDouble() * popularity[popularity.length - 1]);
        return Math.min(popularity.length - 1, k >= 0 ? k : -k - 1);
    }

    private Instant at(Instant dayStart, Instant end) {
        int hour = Arrays.binarySearch(hourCdf, random.nextDouble() * hourCdf[hourCdf.length - 1]);
        hour = Math.min(23, hour >= 0 ? hour : -hour - 1);
        return earlier(dayStart.plusSeconds(hour * 3600L + random.nextInt(3600)).plusNanos(random.nextInt(1_000_000)
                * 1000L), end);
    }

    private static Instant earlier(Instant t, Instant end) {
        return t.isBefore(end) ? t : end.minusMillis(1);
    }

    private int level(int sku, int location) {
        return onHand[pair(sku, location)];
    }

    private int pair(int sku, int location) {
        return sku * shape.locations() + location;
    }

    private String eventId() {
        return shape.prefix() + "gen-" + (++events);
    }

    String sku(int k) {
        return shape.prefix() + "SKU-" + String.format("%06d", k);
    }

    private String location(int l) {
        return shape.prefix() + (l < Math.max(1, shape.locations() / 5) ? "WH-" : "ST-") + String.format("%02d", l);
    }

    private static double[] cumulative(double[] weights) {
        double[] cdf = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            cdf[i] = sum;
        }
        return cdf;
    }
}
