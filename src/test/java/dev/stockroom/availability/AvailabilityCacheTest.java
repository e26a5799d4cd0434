package dev.stockroom.availability;

import dev.stockroom.stock.StockLevel;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.TestTicker;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** The availability cache against the real database: freshness after writes, versions, refresh, jitter, bound. */
@QuarkusTest
class AvailabilityCacheTest {

    @io.quarkus.test.common.http.TestHTTPResource(value = "metrics", management = true)
    java.net.URL metrics;

    private static final String HIT = "stockroom; hit";
    private static final String STALE = "stockroom; hit; detail=stale";
    private static final String MISS = "stockroom; fwd=miss; stored";

    @Inject
    AvailabilityCache cache;

    @Inject
    AvailabilityConfig config;

    @Inject
    TestTicker ticker;

    @Inject
    Db db;

    private static ValidatableResponse read(String sku) {
        return given().get("/v1/stock/{sku}", sku).then().statusCode(200).body("asOf", notNullValue());
    }

    @Test
    void read_afterHoldCommitAndRelease_showsEachChangeFromTheCache() {
        // Given: a SKU read once, so it is cached
        String location = Api.unique("WH");
        String sku = Api.unique("FRESH");
        Api.location(location, 1);
        Api.stock(sku, location, 10);
        read(sku).header("Cache-Status", MISS).body("available", equalTo(10));
        read(sku).header("Cache-Status", HIT);

        // When / Then: each write is visible in the next read, served as a hit (applied, not reloaded)
        String hold = Api.reserveOk(Api.hold("o", List.of(Api.line(sku, 3, location))));
        read(sku).header("Cache-Status", HIT).body("reserved", equalTo(3)).body("available", equalTo(7));
        given().post("/v1/reservations/{id}/commit", hold).then().statusCode(200);
        read(sku).header("Cache-Status", HIT).body("reserved", equalTo(0)).body("committed", equalTo(3));
        given().delete("/v1/reservations/{id}", hold).then().statusCode(200);
        read(sku).header("Cache-Status", HIT).body("committed", equalTo(0)).body("available", equalTo(10));
        Api.stock(sku, location, 4);
        read(sku).header("Cache-Status", HIT).body("onHand", equalTo(4));
    }

    @Test
    void apply_olderVersion_doesNotOverwriteNewerEntry() {
        // Given
        String location = Api.unique("WH");
        String sku = Api.unique("VER");
        Api.location(location, 1);
        Api.stock(sku, location, 10);
        read(sku);
        StockLevel cached = cache.peek(sku).at(location).level();

        // When: a late event carries an older version
        StockLevel older = new StockLevel(sku, location, 999, 0, 0, 0, cached.version() - 1, Instant.now());
        AvailabilityCache.Applied outcome = cache.apply(older);

        // Then
        assertThat(outcome).isEqualTo(AvailabilityCache.Applied.IGNORED_OLDER);
        read(sku).body("onHand", equalTo(10));
        // and the same version twice is ignored too, while a newer one wins
        assertThat(cache.apply(new StockLevel(sku, location, 998, 0, 0, 0, cached.version(), Instant.now())))
                .isEqualTo(AvailabilityCache.Applied.IGNORED_OLDER);
        assertThat(cache.apply(new StockLevel(sku, location, 7, 0, 0, 0, cached.version() + 1, Instant.now())))
                .isEqualTo(AvailabilityCache.Applied.APPLIED);
        read(sku).header("Cache-Status", HIT).body("onHand", equalTo(7));
    }

    @Test
    void read_pastRefreshTime_servesStaleThenRefreshesInTheBackground() {
        // Given: a cached SKU, then a change the cache does not hear of (written behind its back)
        String location = Api.unique("WH");
        String sku = Api.unique("REF");
        Api.location(location, 1);
        Api.stock(sku, location, 10);
        read(sku);
        db.writeUnannounced("UPDATE stock_level SET on_hand = 8, version = version + 1 WHERE sku = ?", sku);
        read(sku).header("Cache-Status", HIT).body("onHand", equalTo(10));

        // When: time passes the latest refresh time of any entry
        ticker.advance(latestRefresh());

        // Then: the old value is served, marked stale, until the background refresh lands
        read(sku).header("Cache-Status", STALE).body("onHand", equalTo(10));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> read(sku).header("Cache-Status", HIT).body("onHand",
                equalTo(8)));
    }

    @Test
    void read_pastStalenessBound_isNotServedButReloaded() {
        // Given
        String location = Api.unique("WH");
        String sku = Api.unique("BOUND");
        Api.location(location, 1);
        Api.stock(sku, location, 10);
        read(sku);
        db.writeUnannounced("UPDATE stock_level SET on_hand = 5, version = version + 1 WHERE sku = ?", sku);

        // When: the entry is older than the hard bound
        ticker.advance(config.maxStaleness().plusMillis(1));

        // Then: a miss, answered from the database
        read(sku).header("Cache-Status", MISS).body("onHand", equalTo(5));
    }

    @Test
    void load_entriesLoadedTogether_comeDueSpreadAcrossTheJitterWindow() throws Exception {
        // Given: 2,000 SKUs with stock, none cached
        String location = Api.unique("WH");
        Api.location(location, 1);
        String prefix = Api.unique("JIT");
        db.rows("INSERT INTO stock_level (sku, location, on_hand, updated_at)"
                + " SELECT ? || '-' || g, ?, 5, now() FROM generate_series(1, 2000) g RETURNING sku", prefix, location);
        List<String> skus = IntStream.rangeClosed(1, 2000).mapToObj(i -> prefix + "-" + i).toList();

        // When: all are loaded in the same instant (the test ticker stands still)
        cache.load(skus).get(60, java.util.concurrent.TimeUnit.SECONDS);

        // Then: their refresh times cover the whole window [interval × (1 - jitter), interval × (1 + jitter)]
        double interval = config.refreshInterval().toNanos();
        double low = interval * (1 - config.jitter());
        double width = interval * 2 * config.jitter();
        int[] deciles = new int[10];
        for (String sku : skus) {
            double delay = cache.refreshDelayNanos(sku);
            assertThat(delay).isBetween(low, low + width);
            deciles[Math.min(9, (int) ((delay - low) / width * 10))]++;
        }
        // uniform: about 200 per tenth of the window; no tenth empty or crowded
        assertThat(java.util.Arrays.stream(deciles).boxed().toList()).allSatisfy(n -> assertThat(n).isBetween(100,
                300));
    }

    @Test
    void metrics_afterReads_areOnThePrometheusEndpoint() {
        // Given
        String location = Api.unique("WH");
        String sku = Api.unique("MET");
        Api.location(location, 1);
        Api.stock(sku, location, 1);

        // When
        read(sku);
        read(sku);

        // Then
        String scrape = given().get(metrics).then().statusCode(200).extract().asString();
        assertThat(scrape).contains("stockroom_availability_reads_total{status=\"hit\"}",
                "stockroom_availability_reads_total{status=\"stale\"}",
                "stockroom_availability_reads_total{status=\"miss\"}",
                "cache_gets_total{cache=\"availability\",result=\"hit\"}",
                "cache_evictions_total{cache=\"availability\"}",
                "stockroom_availability_load_failures_total",
                "ft_bulkhead_calls_total{bulkheadResult=\"accepted\",method=\"dev.stockroom.availability.ReadPoolLoader.load\"}",
                "stockroom_availability_load_queries_total{pool=\"read\"}",
                "hikaricp_connections_active{pool=\"read\"}",
                "stockroom_write_bulkhead_in_use");
    }

    private Duration latestRefresh() {
        return config.refreshInterval().multipliedBy(2);
    }
}
