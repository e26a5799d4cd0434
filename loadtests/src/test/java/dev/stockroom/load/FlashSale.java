package dev.stockroom.load;

import dev.stockroom.load.chaos.Chaos;
import dev.stockroom.load.chaos.ChaosConfig;
import dev.stockroom.load.chaos.Fault;
import dev.stockroom.load.chaos.Faults;
import dev.stockroom.load.chaos.Recovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.details;


/**
 * A flash sale, open workload: browsing warms up at a steady rate, then arrivals spike to a multiple of it
 * ({@code load.spike-multiple}, at least 10) within a few seconds and stay there. About nine in ten arrivals read
 * availability over the large catalogue (Zipf popularity); the rest check out on a few hot SKUs that sell out.
 *
 * <p>With {@code -Dchaos=true} (the default), the faults of {@link Faults#flashSale} run during the plateau, one
 * after the other, and each one's recovery is recorded. Passes when the audit holds, no 5xx other than 503 was
 * answered, every fault was recovered from, hold p99 outside the faults and their recoveries stays under
 * {@code load.hold-p99-ms}, and hold p99 over the whole run under {@code load.hold-p99-under-faults-ms}.
 */
public class FlashSale extends StockroomSimulation {

    static final String RECOVERED = "verdict: service recovered by itself after every fault";
    static final String CALM_P99 = "verdict: hold p99 outside the faults under the bound";

    private final boolean chaosOn = Boolean.parseBoolean(System.getProperty("chaos", "true"));
    private Chaos chaos;

    public FlashSale() {
        // Under chaos every hold attempt counts in Gatling's p99, faults included, so that bound is the storefront's
        // timeout; the production bound applies to the holds answered outside the faults and their recoveries.
        run(flashSaleCrowd("flash sale"), chaosOn
                ? details(Storefront.HOLD).responseTime().percentile(99.0).lt((int) settings.holdP99BoundUnderFaults())
                : holdP99Bound());
    }

    @Override
    protected List<String> extraVerdicts() {
        return chaosOn ? List.of(RECOVERED, CALM_P99) : List.of();
    }

    @Override
    protected void prepare() {
        record.add("# FlashSale");
        record.add("- warm-up %.0f/s for %ds, spike to %.0f/s (%.0fx) in %ds, plateau %ds; %.0f%% checkouts"
                .formatted(settings.warmupRate(), settings.warmup().toSeconds(), settings.spikeRate(),
                        settings.spikeMultiple(), settings.ramp().toSeconds(), settings.plateau().toSeconds(),
                        settings.holdShare() * 100));
        record.add("- catalogue %d SKUs, %d hot SKUs with %d units at each of %s; database max_connections %d"
                .formatted(catalogue.skus(), catalogue.hotSkus(), catalogue.hotStock(), Catalogue.WAREHOUSES,
                        stack.config().maxConnections()));
        if (chaosOn) {
            // The faults start a few seconds into the plateau, when the spike is at full rate.
            Duration offset = settings.plateauStart().plusSeconds(5);
            List<Fault> faults = Faults.flashSale(stack).stream()
                    .map(f -> new Fault(f.name(), f.at().plus(offset), f.lasts(), f.inject(), f.heal())).toList();
            chaos = new Chaos(faults, tally::served, stack.service()::isReady, ChaosConfig.fromSystemProperties()).start();
        }
    }

    @Override
    protected Map<String, Boolean> finish() {
        if (chaos == null) {
            return Map.of();
        }
        chaos.finish(Duration.ofMinutes(3));
        record.add("## Chaos: recovery after each fault (measured from the moment it was healed)");
        chaos.report().forEach(line -> record.add("- " + line));
        long[] all = tally.holdPercentiles(List.of(), 50, 95, 99);
        long[] calm = tally.holdPercentiles(chaos.windows(), 50, 95, 99);
        record.add("## Hold latency (answered attempts, as the load tool timed them)");
        record.add("- all %d: p50 %d ms, p95 %d ms, p99 %d ms".formatted(all[3], all[0], all[1], all[2]));
        record.add(("- outside the faults, their recoveries and %d s after each, %d: p50 %d ms, p95 %d ms, p99 %d ms"
                + " (bound %d ms)").formatted(ChaosConfig.fromSystemProperties().settle().toSeconds(), calm[3], calm[0],
                calm[1], calm[2], settings.holdP99Bound()));
        return Map.of(RECOVERED, chaos.recoveries().size() == chaos.faults().size()
                        && chaos.recoveries().stream().allMatch(Recovery::recovered),
                CALM_P99, calm[3] > 0 && calm[2] < settings.holdP99Bound());
    }
}
