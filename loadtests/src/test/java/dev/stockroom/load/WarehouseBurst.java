package dev.stockroom.load;

import dev.stockroom.load.env.Deadline;
import dev.stockroom.load.env.Stack;
import dev.stockroom.load.env.WarehouseEvents;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;


/**
 * A burst of warehouse events on the hot SKUs in the middle of a flash sale: {@code burst.events} events
 * ({@code stock.received} and {@code stock.adjusted} "found", one unit each), a share of them sent twice with the same
 * id as a redelivering producer would, produced from this JVM {@code burst.at-seconds} into the plateau. The
 * consumer's batches and the checkouts fight over the same rows; every event must be applied exactly once, and
 * holds must keep their p99.
 */
public class WarehouseBurst extends StockroomSimulation {

    static final String APPLIED_ONCE = "verdict: every burst event applied exactly once";

    private final int events = Integer.getInteger("burst.events", 20_000);
    private final double duplicates = Double.parseDouble(System.getProperty("burst.duplicate-share", "0.1"));
    private final Duration at = Duration.ofSeconds(Long.getLong("burst.at-seconds", 10));
    private final ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
    private volatile long sent;

    public WarehouseBurst() {
        run(flashSaleCrowd("flash sale with a warehouse burst", Duration.ZERO), holdP99Bound());
    }

    @Override
    protected int defaultReplicas() {
        return 2;
    }

    /** The flash sale's stock, so that the burst lands on a sale still selling. */
    @Override
    protected int defaultHotStock() {
        return 3000;
    }

    @Override
    protected List<String> extraVerdicts() {
        return List.of(APPLIED_ONCE);
    }

    @Override
    protected void prepare() {
        record.add("# WarehouseBurst");
        record.add("- %d events (%.0f%% sent twice) on %d hot SKUs at +%ds of the plateau of a flash sale at %.0f requests/s"
                .formatted(events, duplicates * 100, catalogue.hotSkus(), at.toSeconds(), settings.spikeRate()));
        producer.schedule(this::burst, settings.plateauStart().plus(at).toMillis(), TimeUnit.MILLISECONDS);
    }

    private void burst() {
        Stack.log("warehouse burst: %d events", events);
        try (WarehouseEvents warehouse = new WarehouseEvents(stack.broker().bootstrapServers())) {
            for (int i = 0; i < events; i++) {
                String sku = Catalogue.hot(i % catalogue.hotSkus());
                String location = Catalogue.WAREHOUSES.get((i / catalogue.hotSkus()) % Catalogue.WAREHOUSES.size());
                int copies = ThreadLocalRandom.current().nextDouble() < duplicates ? 2 : 1;
                for (int c = 0; c < copies; c++) {
                    if (i % 2 == 0) {
                        warehouse.received("burst-" + i, sku, location, 1);
                    } else {
                        warehouse.adjusted("burst-" + i, sku, location, 1, "found");
                    }
                }
            }
            warehouse.flush();
        }
        sent = events;
    }

    @Override
    protected Map<String, Boolean> finish() {
        producer.shutdown();
        boolean applied = Deadline.within(Duration.ofMinutes(3)).poll(Duration.ofMillis(250),
                () -> sent == events && stack.scalar("SELECT count(*) FROM applied_event WHERE event_id LIKE 'burst-%'") == events);
        long ledger = stack.scalar("SELECT count(*) FROM stock_movement WHERE event_id LIKE 'burst-%'");
        long distinct = stack.scalar("SELECT count(DISTINCT event_id) FROM stock_movement WHERE event_id LIKE 'burst-%'");
        // From the first burst event applied to the last, by the database's own clock.
        long spanMs = stack.scalar("SELECT coalesce(extract(epoch FROM max(applied_at) - min(applied_at)) * 1000, 0)::bigint"
                + " FROM applied_event WHERE event_id LIKE 'burst-%'");
        record.add("## Burst");
        record.add("- events applied: %d of %d distinct ids; ledger rows %d, distinct ids in the ledger %d; applied "
                .formatted(stack.scalar("SELECT count(*) FROM applied_event WHERE event_id LIKE 'burst-%'"), events,
                        ledger, distinct) + (applied ? "over %.1f s (%.0f events/s) while the sale ran"
                .formatted(spanMs / 1000.0, events * 1000.0 / Math.max(1, spanMs)) : "NOT all within 3 minutes"));
        try {
            producer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Map.of(APPLIED_ONCE, applied && ledger == events && distinct == events);
    }
}
