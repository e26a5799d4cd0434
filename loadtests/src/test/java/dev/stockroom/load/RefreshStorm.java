package dev.stockroom.load;

import dev.stockroom.load.chaos.Chaos;
import dev.stockroom.load.chaos.ChaosConfig;
import dev.stockroom.load.chaos.Fault;
import dev.stockroom.load.chaos.Faults;
import dev.stockroom.load.chaos.Recovery;
import dev.stockroom.load.env.Stack;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;

/**
 * A refresh storm: the whole catalogue is cached, then every entry comes due at once (the admin endpoint drops them
 * all, {@code storm.count} times, {@code storm.every-seconds} apart) while reads cover the whole catalogue at full
 * rate and checkouts keep holding hot SKUs. The read pool and its bulkhead must absorb the reloads without touching
 * the write path: holds keep their p99, and nothing but 503 may fail.
 */
public class RefreshStorm extends StockroomSimulation {

    static final String RECOVERED = "verdict: reads and holds recovered after every storm";

    private final double readRate = Double.parseDouble(System.getProperty("storm.read-rate", "150"));
    private final double checkoutRate = Double.parseDouble(System.getProperty("storm.checkout-rate", "15"));
    private final Duration length = Duration.ofSeconds(Long.getLong("storm.seconds", 90));
    private final Duration first = Duration.ofSeconds(Long.getLong("storm.at-seconds", 20));
    private final Duration every = Duration.ofSeconds(Long.getLong("storm.every-seconds", 20));
    private final int storms = Integer.getInteger("storm.count", 3);
    private Chaos chaos;

    public RefreshStorm() {
        double checkoutShare = 100 * checkoutRate / (readRate + checkoutRate);
        run(scenario("refresh storm").exec(randomSwitch().on(
                                percent(checkoutShare).then(storefront.checkout()),
                                percent(100 - checkoutShare).then(storefront.browseEverything())))
                        .injectOpen(constantUsersPerSec(readRate + checkoutRate).during(length)),
                holdP99Bound());
    }

    @Override
    protected void prepare() {
        record.add("# RefreshStorm");
        record.add("- %d SKUs cached, then invalidated %d times, %ds apart, from +%ds; reads %.0f/s over the whole "
                .formatted(catalogue.skus(), storms, every.toSeconds(), first.toSeconds(), readRate)
                + "catalogue, checkouts %.0f/s, for %ds; database max_connections %d".formatted(checkoutRate,
                length.toSeconds(), stack.config().maxConnections()));
        warmWholeCatalogue();
        List<Fault> faults = IntStream.range(0, storms).mapToObj(i -> new Fault("refresh storm " + (i + 1)
                + ": whole cache invalidated", first.plus(every.multipliedBy(i)), Duration.ZERO,
                () -> Faults.invalidateCache(stack), () -> { })).toList();
        chaos = new Chaos(faults, tally::served, stack.endpoints()::allReady, ChaosConfig.fromSystemProperties()).start();
    }

    /** Reads every catalogue SKU once, in bulk, so that the whole catalogue is cached when the load starts. */
    private void warmWholeCatalogue() {
        HttpClient http = HttpClient.newHttpClient();
        String token = stack.tokens().token("storefront", Duration.ofMinutes(10));
        int bulk = Integer.getInteger("storm.warm-bulk", 200);
        List<Integer> failed = new ArrayList<>();
        for (int from = 0; from < catalogue.skus(); from += bulk) {
            String query = IntStream.range(from, Math.min(from + bulk, catalogue.skus()))
                    .mapToObj(i -> "sku=" + Catalogue.sku(i)).collect(Collectors.joining("&"));
            try {
                int status = http.send(HttpRequest.newBuilder(stack.api().resolve("/v1/stock?" + query))
                                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 200) {
                    failed.add(from);
                }
            } catch (IOException e) {
                failed.add(from);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Stack.log("cache warmed with %d SKUs (%d bulk reads failed)", catalogue.skus(), failed.size());
    }

    @Override
    protected List<String> extraVerdicts() {
        return List.of(RECOVERED);
    }

    @Override
    protected Map<String, Boolean> finish() {
        chaos.finish(Duration.ofMinutes(2));
        record.add("## Storms: recovery after each (measured from the invalidation)");
        chaos.report().forEach(line -> record.add("- " + line));
        record.add("## The service's own counters at the end");
        stack.services().forEach(replica -> Metrics.scrape(replica.metrics(), "stockroom_availability_reads_total",
                        "stockroom_availability_load_failures", "hikaricp_connections_max", "hikaricp_connections_pending",
                        "agroal_max_used_count")
                .forEach(line -> record.add("- " + (stack.services().size() > 1 ? replica.name() + " " : "")
                        + "`" + line + "`")));
        return Map.of(RECOVERED, chaos.recoveries().size() == storms
                && chaos.recoveries().stream().allMatch(Recovery::recovered));
    }
}
