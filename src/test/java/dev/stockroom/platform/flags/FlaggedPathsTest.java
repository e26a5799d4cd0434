package dev.stockroom.platform.flags;

import dev.stockroom.support.Api;
import dev.stockroom.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The product's own flags on staging's flag file: the same hold, and the same report request, from one of staging's
 * test accounts and from any other account take different paths. A hold from a test account is placed by the
 * combining engine (it is counted in a batch), one from another account by the direct engine (no batch); reports
 * answer a test account and are absent (404) for another.
 */
@QuarkusTest
@TestProfile(FlaggedPathsTest.StagingFlags.class)
class FlaggedPathsTest {

    private static final String TEST_ACCOUNT = "test-account-1";
    private static final String OTHER_ACCOUNT = "acct-70112";

    /** Staging's flag file: both flags on for its test accounts only. */
    public static class StagingFlags implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockroom.flags.file", "deploy/overlays/staging/flags.json");
        }
    }

    @Inject
    MeterRegistry registry;

    @Test
    void sameHold_testAccountAndOtherAccount_areSeparatedByEngine() {
        // Given stock for two holds
        String sku = Api.unique("flagged");
        Api.location("FLAG-WH", 1);
        Api.stock(sku, "FLAG-WH", 10);

        // When the test account holds one unit
        long batchedBefore = holdsBatched();
        hold(TEST_ACCOUNT, sku);
        long batchedAfterTestAccount = holdsBatched();

        // ... and another account sends the same hold
        hold(OTHER_ACCOUNT, sku);

        // Then only the test account's hold went through the combining engine's batches
        assertThat(batchedAfterTestAccount).isEqualTo(batchedBefore + 1);
        assertThat(holdsBatched()).isEqualTo(batchedAfterTestAccount);
        // ... and each evaluation was counted by variant
        assertThat(evaluations("holds.engine", "combining")).isGreaterThanOrEqualTo(1);
        assertThat(evaluations("holds.engine", "direct")).isGreaterThanOrEqualTo(1);
    }

    @Test
    void sameReport_testAccountAndOtherAccount_answerAndAbsent() {
        // Given one report request
        String path = "/v1/reports/stock-flow?sku=flagged-report&from=" + LocalDate.now().minusDays(7)
                + "&to=" + LocalDate.now().plusDays(1);

        // When a test account and another account with the same role ask for it
        int testAccount = given().header("Authorization", "Bearer " + Tokens.forAccount(TEST_ACCOUNT, "rita",
                "reporting"))
                .get(path).then().extract().statusCode();
        var other = given().header("Authorization", "Bearer " + Tokens.forAccount(OTHER_ACCOUNT, "rob", "reporting"))
                .get(path).then().extract();

        // Then the test account gets the report and the other account a problem saying there is none for it
        assertThat(testAccount).isEqualTo(200);
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.contentType()).startsWith("application/problem+json");
        assertThat(other.body().jsonPath().getString("detail")).contains("not enabled");
    }

    private static void hold(String account, String sku) {
        given().header("Authorization", "Bearer " + Tokens.forAccount(account, "buyer", "storefront"))
                .header("Idempotency-Key", UUID.randomUUID().toString()).contentType(ContentType.JSON)
                .body(Api.hold("flagged", List.of(Api.line(sku, 1, "FLAG-WH"))))
                .post("/v1/reservations").then().statusCode(201);
    }

    private long holdsBatched() {
        var summary = Search.in(registry).name("stockroom.holds.batch.size").summary();
        return summary == null ? 0 : (long) summary.totalAmount();
    }

    private double evaluations(String flag, String variant) {
        return Search.in(registry).name("stockroom.flag.evaluations").tag("flag", flag).tag("variant", variant)
                .counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
