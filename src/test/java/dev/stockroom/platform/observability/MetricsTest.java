package dev.stockroom.platform.observability;

import dev.stockroom.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The metrics that dashboards and alerts are built on exist under their documented names. */
@QuarkusTest
class MetricsTest {

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Test
    void metrics_afterAHold_publishHoldLatencyBucketsAndWritePoolGauges() {
        // Given
        String location = Api.unique("WH");
        String sku = Api.unique("MET");
        Api.location(location, 1);
        Api.stock(sku, location, 5);

        // When
        Api.reserveOk(Api.hold("o-met", List.of(Api.line(sku, 1, location))));
        String scrape = given().noFilters().get(metrics).then().statusCode(200).extract().asString();

        // Then: p99 of holds can be computed from buckets, and the write pool's saturation is visible
        assertThat(scrape.lines().filter(l -> l.startsWith("http_server_requests_seconds_bucket{")
                && l.contains("method=\"POST\"") && l.contains("uri=\"/v1/reservations\"")).count())
                .isGreaterThan(10);
        assertThat(scrape).containsPattern("agroal_active_count\\{[^}]*datasource=\"default\"");
        assertThat(scrape).containsPattern("agroal_awaiting_count\\{[^}]*datasource=\"default\"");
        // and the combiner's batches, queue and shedding are there for the dashboard and its alert
        assertThat(scrape).containsPattern("(?m)^stockroom_holds_batch_size_count(\\{[^}]*})? [1-9]");
        for (String name : List.of("stockroom_holds_batch_size_bucket", "stockroom_holds_queue_depth",
                "stockroom_holds_queue_capacity", "stockroom_holds_queue_time_seconds_bucket",
                "stockroom_holds_batch_duration_seconds_bucket", "stockroom_holds_shed_total")) {
            assertThat(scrape).as(name).containsPattern("(?m)^" + name + "[{ ]");
        }
    }
}
