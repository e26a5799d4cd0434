package dev.stockroom.availability;

import dev.stockroom.support.Api;
import dev.stockroom.support.TestTicker;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.netcrusher.tcp.TcpCrusher;

import java.time.Duration;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The read path's database goes away (connection cut, or frozen): stale answers within the bound, 503 beyond it,
 * recovery by itself.
 */
@QuarkusTest
@WithTestResource(ReadPathProxy.class)
class ReadOutageTest {

    private static final String HIT = "stockroom; hit";
    private static final String STALE = "stockroom; hit; detail=stale";

    @ReadPathProxy.Proxy
    TcpCrusher proxy;

    @Inject
    TestTicker ticker;

    @Inject
    AvailabilityConfig config;

    @Inject
    MeterRegistry registry;

    @io.quarkus.test.common.http.TestHTTPResource(value = "health/ready", management = true)
    java.net.URL ready;

    @Test
    void read_readPoolCutOff_servesStaleUntilTheBoundThen503ThenRecovers() {
        // Given: a cached SKU
        String location = Api.unique("WH");
        String sku = Api.unique("OUT");
        Api.location(location, 1);
        Api.stock(sku, location, 10);
        given().get("/v1/stock/{sku}", sku).then().statusCode(200);
        given().get("/v1/stock/{sku}", sku).then().statusCode(200).header("Cache-Status", HIT);

        // When: the read path's connection to the database is cut, and the entry falls due for refresh
        proxy.close();
        ticker.advance(config.refreshInterval().multipliedBy(2));

        // Then: the stale value is served, saying so, while refreshes fail in the background
        double failures = loadFailures();
        given().get("/v1/stock/{sku}", sku).then().statusCode(200)
                .header("Cache-Status", STALE).body("onHand", equalTo(10));
        await().atMost(Duration.ofSeconds(20)).until(() -> loadFailures() > failures);
        given().get("/v1/stock/{sku}", sku).then().statusCode(200).header("Cache-Status", STALE);
        // the pod says it is not ready: the read pool cannot reach the database
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().noFilters().get(ready).then().statusCode(503)
                .body("checks.find { it.name == 'Availability read pool' }.status", equalTo("DOWN")));
        // writes do not use the read pool: a hold still succeeds, and its change reaches the cached entry
        Api.reserveOk(Api.hold("o", List.of(Api.line(sku, 2, location))));
        given().get("/v1/stock/{sku}", sku).then().statusCode(200)
                .header("Cache-Status", STALE).body("reserved", equalTo(2));
        ticker.advance(config.maxStaleness().minus(config.refreshInterval().multipliedBy(4)));
        given().get("/v1/stock/{sku}", sku).then().statusCode(200).header("Cache-Status", STALE);

        // When: the entry passes the staleness bound
        ticker.advance(config.refreshInterval().multipliedBy(2));

        // Then: it is not served; the answer is a 503 problem with Retry-After
        given().get("/v1/stock/{sku}", sku).then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", "5")
                .body("type", equalTo("https://stockroom.dev/problems/service-unavailable"));
        given().get("/v1/stock?sku={sku}", sku).then().statusCode(503);

        // When: the connection comes back
        proxy.open();

        // Then: the cache recovers by itself (once the circuit breaker lets a load through)
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> given().get(
                "/v1/stock/{sku}", sku).then().statusCode(200).body("reserved", equalTo(2)));
        given().get("/v1/stock/{sku}", sku).then().statusCode(200).header("Cache-Status", HIT);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().noFilters().get(ready).then().statusCode(
                200));
    }

    @Test
    void read_readPathFrozen_servesStaleThen503WithinTheReadDeadlineThenRecovers() {
        // Given: a cached SKU
        String location = Api.unique("WH");
        String sku = Api.unique("FRZ");
        Api.location(location, 1);
        Api.stock(sku, location, 10);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/v1/stock/{sku}", sku).then()
                .statusCode(200));

        // When: the network between the read pool and the database stops moving bytes, connections stay open
        proxy.freeze();
        try {
            ticker.advance(config.refreshInterval().multipliedBy(2));

            // Then: stale within the bound, however long the frozen refresh hangs
            given().get("/v1/stock/{sku}", sku).then().statusCode(200).header("Cache-Status", STALE);
            given().get("/v1/stock/{sku}", sku).then().statusCode(200).header("Cache-Status", STALE);

            // beyond the bound: 503; the read waits for the frozen load no longer than the read deadline
            ticker.advance(config.maxStaleness());
            given().get("/v1/stock/{sku}", sku).then().statusCode(503).header("Retry-After", "5");
        } finally {
            proxy.unfreeze();
        }

        // Then: it recovers by itself
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> given().get(
                "/v1/stock/{sku}", sku).then().statusCode(200).body("onHand", equalTo(10)));
    }

    private double loadFailures() {
        return registry.get("stockroom.availability.load.failures").counter().count();
    }
}
