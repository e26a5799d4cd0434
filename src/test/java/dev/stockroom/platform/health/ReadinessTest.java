package dev.stockroom.platform.health;

import dev.stockroom.platform.embedded.DatabaseProxy;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

/** Readiness follows the database link; liveness does not. */
@QuarkusTest
@TestProfile(ReadinessTest.BehindProxy.class)
class ReadinessTest {

    /** The datasource reaches PostgreSQL through a proxy the test can cut. */
    public static class BehindProxy implements QuarkusTestProfile {
        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(DatabaseProxy.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // The expiry sweeper would log a failure every second while the link is down; it is not under test here.
            return Map.of("stockroom.reservation.expiry.interval", "1h");
        }
    }

    private static final Duration PROBE_BOUND = Duration.ofSeconds(20);

    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "health/live", management = true)
    URL live;

    @AfterEach
    void restoreLink() {
        DatabaseProxy.restore();
    }

    @Test
    void readiness_databaseLinkCutThenRestored_goesDownThenUp() {
        // Given
        await().atMost(PROBE_BOUND).untilAsserted(() -> given().noFilters().get(ready).then().statusCode(200));

        // When: the link to PostgreSQL is cut
        DatabaseProxy.cut();

        // Then: not ready, and the database check says why; still alive, so Kubernetes does not restart the pod
        await().atMost(PROBE_BOUND).untilAsserted(() -> given().noFilters().get(ready).then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.findAll { it.status == 'DOWN' }.name", hasItem("Database connections health check")));
        given().noFilters().get(live).then().statusCode(200).body("status", equalTo("UP"));

        // When: the link comes back
        DatabaseProxy.restore();

        // Then
        await().atMost(PROBE_BOUND).untilAsserted(() -> given().noFilters().get(ready).then().statusCode(200)
                .body("status", equalTo("UP")));
    }

    @Test
    void managementEndpoints_servedOnManagementPortWithoutToken() {
        // Given: the management interface's root, beside the probes
        String root = ready.toString().replace("health/ready", "");

        // When / Then
        given().noFilters().get(live).then().statusCode(200);
        given().noFilters().get(root + "metrics").then().statusCode(200);
        given().noFilters().get(root + "openapi").then().statusCode(200);
        given().noFilters().get("/q/health/ready").then().statusCode(404);
    }
}
