package dev.stockroom.load;

import dev.stockroom.load.chaos.Chaos;
import dev.stockroom.load.chaos.ChaosConfig;
import dev.stockroom.load.chaos.Fault;
import dev.stockroom.load.chaos.Faults;
import dev.stockroom.load.chaos.Recovery;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.gatling.javaapi.core.CoreDsl.details;

/**
 * A flash sale against two replicas, open workload: requests warm up at a tenth of the spike's rate, then spike
 * ({@code load.spike-rate}, 2,100 requests/s by default) within a few seconds and hold it for {@code load.plateau-seconds}
 * without a fault. Buyers send a third of the requests as holds on a few hot SKUs, which sell out during the sale;
 * browsers read the large catalogue (Zipf popularity). Requests are spread over the replicas as a Service spreads
 * them.
 *
 * <p>With {@code -Dchaos=true} (the default), the spike then goes on while the faults of {@link Faults#flashSale} run
 * one after the other, and each one's recovery is recorded. Passes when the audit holds, no 5xx other than 503 was
 * answered, the fault-free sale completed the required rate and share of holds, every fault was recovered from, hold
 * p99 during the spike outside the faults and their recoveries is at most {@code load.hold-p99-ms}, and hold p99 over
 * every attempt under {@code load.hold-p99-under-faults-ms}.
 */
public class FlashSale extends StockroomSimulation {

    static final String SPIKE = "verdict: the sale completed the required requests/s and share of holds";
    static final String RECOVERED = "verdict: service recovered by itself after every fault";
    static final String CALM_P99 = "verdict: hold p99 during the spike outside the faults within the bound";

    private final boolean chaosOn = Boolean.parseBoolean(System.getProperty("chaos", "true"));
    private Chaos chaos;
    private SaleObserver observer;
    private long loadStart;

    public FlashSale() {
        // Under chaos every hold attempt counts in Gatling's p99, faults included, so that bound is the storefront's
        // timeout; the sale's bound applies to the holds answered outside the faults and their recoveries.
        run(flashSaleCrowd("flash sale", chaosOn ? Faults.stretch() : Duration.ZERO), chaosOn
                ? details(Storefront.HOLD).responseTime().percentile(99.0).lt((int) settings.holdP99BoundUnderFaults())
                : details(Storefront.HOLD).responseTime().percentile(99.0).lte((int) settings.holdP99Bound()));
    }

    @Override
    protected int defaultReplicas() {
        return 2;
    }

    /** 30,000 units over the hot SKUs: at the default spike, they sell out about two thirds into the sale. */
    @Override
    protected int defaultHotStock() {
        return 3000;
    }

    @Override
    protected List<String> extraVerdicts() {
        return chaosOn ? List.of(SPIKE, RECOVERED, CALM_P99) : List.of(SPIKE);
    }

    @Override
    protected void prepare() {
        record.add("# FlashSale");
        record.add(("- warm-up %.0f requests/s for %ds, spike to %.0f requests/s (%.0fx) in %ds, %ds without a fault%s;"
                + " %.0f%% of requests are holds on the hot SKUs (%.0f buyers and %.0f browsers arriving per second at the"
                + " spike)").formatted(settings.warmupRate(), settings.warmup().toSeconds(), settings.spikeRate(),
                settings.spikeMultiple(), settings.ramp().toSeconds(), settings.plateau().toSeconds(),
                chaosOn ? ", then %ds more with the faults".formatted(Faults.stretch().toSeconds()) : "",
                settings.holdShare() * 100, settings.arrivals(settings.spikeRate()) * settings.buyerShare(),
                settings.arrivals(settings.spikeRate()) * (1 - settings.buyerShare())));
        record.add("- buyers: hold 1-2 units, then %.0f%% commit and %.0f%% release after 1-3 s, the rest abandon (TTL %ds);"
                .formatted(settings.commitShare() * 100, settings.releaseShare() * 100, settings.abandonTtl())
                + " a buyer turned away looks at the SKU again; a 503 is tried again after its Retry-After");
        record.add("- catalogue %d SKUs, %d hot SKUs with %d units at each of %s".formatted(catalogue.skus(),
                catalogue.hotSkus(), catalogue.hotStock(), Catalogue.WAREHOUSES));
        record.add("- " + new Warmup(stack, catalogue, tally).run());
        Duration calmEnd = settings.plateauStart().plus(settings.plateau());
        observer = new SaleObserver(stack, settings.plateauStart(), calmEnd);
        if (chaosOn) {
            // The faults start when the fault-free sale ends, while the spike goes on.
            List<Fault> faults = Faults.flashSale(stack).stream()
                    .map(f -> new Fault(f.name(), f.at().plus(calmEnd), f.lasts(), f.inject(), f.heal())).toList();
            chaos = new Chaos(faults, tally::served, stack.endpoints()::allReady, ChaosConfig.fromSystemProperties())
                    .start();
        }
        loadStart = System.currentTimeMillis();
    }

    @Override
    protected Map<String, Boolean> finish() {
        long end = System.currentTimeMillis();
        long saleFrom = loadStart + settings.plateauStart().toMillis();
        long saleTo = saleFrom + settings.plateau().toMillis();
        Map<String, Boolean> verdicts = new LinkedHashMap<>();
        List<long[]> faults = List.of();
        if (chaos != null) {
            chaos.finish(Duration.ofMinutes(3));
            faults = chaos.windows();
            record.add("## Chaos: recovery after each fault (measured from the moment it was healed)");
            chaos.report().forEach(line -> record.add("- " + line));
            verdicts.put(RECOVERED, chaos.recoveries().size() == chaos.faults().size()
                    && chaos.recoveries().stream().allMatch(Recovery::recovered));
        }
        Tally.Throughput sale = tally.throughput(saleFrom, saleTo);
        record.add("## The fault-free sale at the spike's rate (%d s)".formatted(sale.seconds()));
        record.add(("- %d requests completed: %.0f/s (slowest second %d; required %.0f/s), %.1f%% of them hold attempts"
                + " (required %.0f%%)").formatted(sale.requests(), sale.perSecond(), sale.slowestSecond(),
                settings.requiredRate(), sale.holdShare() * 100, settings.requiredHoldShare() * 100));
        long[] calm = tally.holdPercentiles(saleFrom, saleTo, List.of(), 50, 95, 99);
        record.add("- hold attempts answered: %d, p50 %d ms, p95 %d ms, p99 %d ms (bound %d ms)"
                .formatted(calm[3], calm[0], calm[1], calm[2], settings.holdP99Bound()));
        record.add("- load average (1 min) during it: " + observer.loadAverage(saleFrom, saleTo));
        observer.report().forEach(line -> record.add("- " + line));
        verdicts.put(SPIKE, sale.perSecond() >= settings.requiredRate() && sale.holdShare() >= settings.requiredHoldShare());
        if (chaos != null) {
            long[] all = tally.holdPercentiles(0, Long.MAX_VALUE, List.of(), 50, 95, 99);
            long[] outside = tally.holdPercentiles(saleFrom, Long.MAX_VALUE, faults, 50, 95, 99);
            Tally.Throughput whole = tally.throughput(saleFrom, end);
            record.add("## The whole spike, faults included");
            record.add("- %d requests completed in %d s: %.0f/s, %.1f%% of them hold attempts; load average (1 min) %s"
                    .formatted(whole.requests(), whole.seconds(), whole.perSecond(), whole.holdShare() * 100,
                            observer.loadAverage(saleFrom, end)));
            record.add("## Hold latency (answered attempts, as the load tool timed them)");
            record.add("- every attempt of the run, %d: p50 %d ms, p95 %d ms, p99 %d ms (bound %d ms)".formatted(all[3],
                    all[0], all[1], all[2], settings.holdP99BoundUnderFaults()));
            record.add(("- during the spike, outside the faults, their recoveries and %d s after each, %d: p50 %d ms,"
                    + " p95 %d ms, p99 %d ms (bound %d ms)").formatted(ChaosConfig.fromSystemProperties().settle()
                    .toSeconds(), outside[3], outside[0], outside[1], outside[2], settings.holdP99Bound()));
            verdicts.put(CALM_P99, outside[3] > 0 && outside[2] <= settings.holdP99Bound());
        }
        observer.close();
        return verdicts;
    }
}
