package dev.stockroom.platform.flags;

import dev.stockroom.platform.observability.RequestIdFilter;
import dev.stockroom.support.Tokens;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flags decide per caller, from the caller's token: a listed test account and any other account take different
 * paths on the same request, a percentage keeps each account on one side, a change of the file takes effect without
 * a restart, and a bad file keeps the flags in use and raises the alert metric.
 */
@QuarkusTest
@TestProfile(FlagFileProfile.class)
class FeatureFlagsTest {

    private static final String TEST_ACCOUNT = "test-account-1";
    private static final String OTHER_ACCOUNT = "acct-48213";

    @Inject
    MeterRegistry registry;

    private final Map<String, String> loggedPaths = new ConcurrentHashMap<>();
    private final ExtHandler capture = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            loggedPaths.put(String.valueOf(record.getMdc(RequestIdFilter.MDC_KEY)),
                    String.valueOf(record.getMdc(FeatureFlags.MDC_PREFIX + "holds.engine")));
        }
    };

    @BeforeEach
    void captureLogs() {
        LogContext.getLogContext().getLogger(FlagProbeResource.LOGGER).addHandler(capture);
    }

    @AfterEach
    void restoreFlags() throws IOException {
        LogContext.getLogContext().getLogger(FlagProbeResource.LOGGER).removeHandler(capture);
        Files.copy(Path.of("deploy/base/flags/flags.json"), FlagFileProfile.FILE, StandardCopyOption.REPLACE_EXISTING);
        await().until(() -> rejectedGauge() == 0 && probe(TEST_ACCOUNT, "s").equals("direct path"));
    }

    @Test
    void sameRequest_testAccountAndOtherAccount_takeDifferentPaths() throws IOException {
        // Given holds.engine on for the listed test account only
        double before = evaluations("combining");
        write(holdsEngine("{\"if\": [{\"in\": [{\"var\": \"account\"}, [\"" + TEST_ACCOUNT
                + "\"]]}, \"combining\", null]}"));
        await().until(() -> probe(TEST_ACCOUNT, "anna").equals("combining path"));

        // When the same request comes from the test account and from another account
        String testAccountPath = probe(TEST_ACCOUNT, "anna", "checkout-test-1");
        String otherAccountPath = probe(OTHER_ACCOUNT, "bob", "checkout-other-1");

        // Then they take different paths, the metric counts the variant, and each request's log line names it
        assertThat(testAccountPath).isEqualTo("combining path");
        assertThat(otherAccountPath).isEqualTo("direct path");
        assertThat(evaluations("combining")).isGreaterThanOrEqualTo(before + 2);
        assertThat(loggedPaths).containsEntry("checkout-test-1", "combining")
                .containsEntry("checkout-other-1", "direct");
    }

    @Test
    void percentageRollout_keepsEachAccountOnOneSide_andWideningKeepsThoseAlreadyIn() throws IOException {
        // Given 30% of accounts on the combining engine
        write(holdsEngine(fractional(30)));
        await().until(() -> rejectedGauge() == 0 && sides(40).containsValue("combining path"));

        // When 200 accounts call twice, as different people with different roles
        Map<String, String> first = sides(200);
        Map<String, String> again = new HashMap<>();
        first.keySet().forEach(account -> again.put(account, given()
                .header("Authorization", "Bearer " + Tokens.forAccount(account, "someone-else", "admin"))
                .get("/test/flag-probe/holds-engine").then().statusCode(200).extract().asString()));

        // Then every account is on the same side both times, and both sides have accounts
        assertThat(again).isEqualTo(first);
        assertThat(first.values()).contains("combining path", "direct path");

        // And widening the share to 60% keeps every account that was in, and adds some
        write(holdsEngine(fractional(60)));
        await().until(() -> count(sides(200), "combining path") > count(first, "combining path"));
        Map<String, String> widened = sides(200);
        first.forEach((account, path) -> {
            if (path.equals("combining path")) {
                assertThat(widened.get(account)).as(account).isEqualTo("combining path");
            }
        });
    }

    @Test
    void badFlagFile_keepsTheLastGoodFlags_andRaisesTheAlertMetric() throws IOException {
        // Given good flags that send the test account down the combining path
        write(holdsEngine("{\"if\": [{\"in\": [{\"var\": \"account\"}, [\"" + TEST_ACCOUNT
                + "\"]]}, \"combining\", null]}"));
        await().until(() -> probe(TEST_ACCOUNT, "anna").equals("combining path"));
        assertThat(rejectedGauge()).isZero();

        // When the file is replaced by something that is not JSON
        write("{ \"flags\": { \"holds.engine\": ");

        // Then the alert metric rises and the flags in use stay
        await().until(() -> rejectedGauge() == 1);
        assertThat(probe(TEST_ACCOUNT, "anna")).isEqualTo("combining path");
        assertThat(probe(OTHER_ACCOUNT, "bob")).isEqualTo("direct path");

        // And a file that parses but is wrong (a default variant that does not exist, a flag gone) is refused too
        write("{\"flags\": {\"holds.engine\": {\"state\": \"ENABLED\", \"variants\": {\"direct\": \"direct\"},"
                + " \"defaultVariant\": \"combining\", \"metadata\": {\"offVariant\": \"direct\"}}}}");
        await().until(() -> registry.find("stockroom.flags.file.loads").tag("outcome", "rejected").counter() != null
                && registry.find("stockroom.flags.file.loads").tag("outcome", "rejected").counter().count() >= 2);
        assertThat(rejectedGauge()).isEqualTo(1);
        assertThat(probe(TEST_ACCOUNT, "anna")).isEqualTo("combining path");
        assertThat(given().header("Authorization", "Bearer " + Tokens.forAccount(TEST_ACCOUNT, "anna", "storefront"))
                .get("/test/flag-probe/reports").then().statusCode(200).extract().asString()).isEqualTo("reports off");

        // And a good file again clears the alert and is used
        write(holdsEngine("{\"if\": [{\"in\": [{\"var\": \"account\"}, [\"" + OTHER_ACCOUNT
                + "\"]]}, \"combining\", null]}"));
        await().until(() -> rejectedGauge() == 0 && probe(OTHER_ACCOUNT, "bob").equals("combining path"));
        assertThat(probe(TEST_ACCOUNT, "anna")).isEqualTo("direct path");
    }

    @Test
    void flagForEveryone_appliesToEveryCaller_andCallerWithoutAccountIsTargetedBySubject() throws IOException {
        // Given reports.enabled on for everyone
        write(Files.readString(Path.of("deploy/base/flags/flags.json")).replace("\"defaultVariant\": \"off\"",
                "\"defaultVariant\": \"on\""));

        // Then any caller, with or without an account claim, gets it
        await().until(() -> given().header("Authorization", "Bearer " + Tokens.withRoles("storefront"))
                .get("/test/flag-probe/reports").then().statusCode(200).extract().asString().equals("reports on"));
        assertThat(given().header("Authorization", "Bearer " + Tokens.forAccount(OTHER_ACCOUNT, "bob", "storefront"))
                .get("/test/flag-probe/reports").then().statusCode(200).extract().asString()).isEqualTo("reports on");
    }

    // ---------------------------------------------------------------- helpers

    private static String probe(String account, String subject) {
        return given().header("Authorization", "Bearer " + Tokens.forAccount(account, subject, "storefront"))
                .get("/test/flag-probe/holds-engine").then().statusCode(200).extract().asString();
    }

    private static String probe(String account, String subject, String requestId) {
        return given().header("Authorization", "Bearer " + Tokens.forAccount(account, subject, "storefront"))
                .header(RequestIdFilter.HEADER, requestId)
                .get("/test/flag-probe/holds-engine").then().statusCode(200).extract().asString();
    }

    /** The path of each of the first {@code n} accounts {@code acct-0 … acct-n-1}. */
    private static Map<String, String> sides(int n) {
        Map<String, String> sides = new HashMap<>();
        for (int i = 0; i < n; i++) {
            sides.put("acct-" + i, probe("acct-" + i, "person-" + i));
        }
        return sides;
    }

    private static long count(Map<String, String> sides, String path) {
        return sides.values().stream().filter(path::equals).count();
    }

    private static String fractional(int percentOn) {
        return "{\"fractional\": [[\"combining\", " + percentOn + "], [\"direct\", " + (100 - percentOn) + "]]}";
    }

    private static String holdsEngine(String targeting) throws IOException {
        String base = Files.readString(Path.of("deploy/base/flags/flags.json"));
        return base.replace("\"defaultVariant\": \"direct\",", "\"defaultVariant\": \"direct\",\n      \"targeting\": "
                + targeting + ",");
    }

    private static void write(String content) throws IOException {
        Path temp = FlagFileProfile.FILE.resolveSibling("flags.json.next");
        Files.writeString(temp, content);
        // Replaced in one step, as a ConfigMap volume does: the service never reads half a file.
        Files.move(temp, FlagFileProfile.FILE, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private double rejectedGauge() {
        return registry.find("stockroom.flags.file.rejected").gauge().value();
    }

    private double evaluations(String variant) {
        return registry.find("stockroom.flag.evaluations").tag("flag", "holds.engine").tag("variant", variant)
                .counters().stream().mapToDouble(Counter::count).sum();
    }
}
