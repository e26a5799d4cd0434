package dev.stockroom.platform;

import dev.stockroom.support.Api;
import dev.stockroom.support.Specmatic;
import dev.stockroom.support.Tokens;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API description as served at {@code /q/openapi}, tested by an independent contract tester (Specmatic) against
 * this running service: every example's request gets the documented status and a body of the documented schema, and
 * the negative requests it generates from the document (wrong types, missing or null fields, values out of bounds or
 * off pattern) are refused with a documented 4xx.
 *
 * <p>The examples ({@code src/test/resources/contract/examples}) name data this test creates first. The 503 examples
 * run apart, while the test holds the rows they touch locked, so that the database's lock timeout makes the service
 * answer "retry later". Two kinds of generated request are left out, each for a reason of the API rather than of
 * the document: holds carrying an {@code Idempotency-Key}, because the tester reuses one generated key with different
 * bodies, which the API answers with 422 by design (IdempotencyTest and BadInputTest cover keys); and request
 * combinations beyond {@code stockroom.contract.combinations} per scenario (default 10), to keep the run to a minute
 * or two ({@code 0} lifts the limit).
 */
@QuarkusTest
@TestProfile(OpenApiContractTest.RelaxedReadDeadlines.class)
class OpenApiContractTest {

    /**
     * The test checks what the service answers, not how fast: on a busy machine an uncached read can miss its
     * one-second deadline and answer 503, which the document allows but a generated "200" test does not expect.
     */
    public static class RelaxedReadDeadlines implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockroom.availability.read-deadline", "8s",
                    "stockroom.availability.guard.timeout", "8s",
                    "stockroom.availability.read-pool.statement-timeout", "6s",
                    "stockroom.availability.read-pool.socket-timeout", "8s");
        }
    }

    private static final Path DIR = Path.of("target/contract");
    private static final Path EXAMPLES = Path.of("src/test/resources/contract/examples");
    /** The tester's boundary values for the longest SKU and location code: data must exist for them too. */
    private static final String LONGEST_SKU = "z".repeat(64);
    private static final String LONGEST_LOCATION = "z".repeat(32);
    private static final int PLENTY = 1_000_000_000;
    private static final String NOT_SHED = "STATUS!='503' && !(OPERATION-ID='reserve' && STATUS='201'"
            + " && PARAMETERS.HEADER='Idempotency-Key')";

    @TestHTTPResource("/")
    URL api;

    @TestHTTPResource(value = "openapi", management = true)
    URL openapi;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void contractTester_fromTheServedDescription_findsNoFailure() throws Exception {
        // Given: the tester, the served description and the data its examples name
        Specmatic specmatic = Specmatic.installed();
        Map<String, String> values = fixtures();
        prepare(describedAsServed(), values);
        String locked = values.get("LOCKED_ID");
        Map<String, String> bearer = Map.of("SecurityScheme", Tokens.admin());
        int combinations = Integer.getInteger("stockroom.contract.combinations", 10);
        String base = api.toString().replaceAll("/$", "");

        // When: every example and generated test but the 503 ones, then those while their rows are locked
        Specmatic.Result main = specmatic.test(DIR, base, NOT_SHED, combinations, bearer, "main");
        Specmatic.Result shed;
        try (Connection locks = lockRowsOfTheUnavailableExamples(locked)) {
            try {
                shed = specmatic.test(DIR, base, "STATUS='503'", 1, bearer, "unavailable");
            } finally {
                locks.rollback();
            }
        }
        System.out.println("Specmatic " + Specmatic.VERSION + ", all but 503: " + main.summary());
        System.out.println("Specmatic " + Specmatic.VERSION + ", 503 while rows are locked: " + shed.summary());

        // Then
        assertThat(main.failures() + main.errors()).as(main.summary()).isZero();
        assertThat(main.exitCode()).as(main.summary()).isZero();
        assertThat(main.tests()).as("examples and generated tests ran").isGreaterThan(100);
        assertThat(shed.failures() + shed.errors()).as(shed.summary()).isZero();
        assertThat(shed.tests()).as("one test per 503 example").isGreaterThanOrEqualTo(4);
    }

    private String describedAsServed() {
        return given().accept("application/yaml").get(openapi).then().statusCode(200).extract().asString();
    }

    /** Locations, stock and reservations the examples name; returns the values to put into them. */
    private Map<String, String> fixtures() {
        for (String code : List.of("CT-WH", LONGEST_LOCATION)) {
            location(code, "WAREHOUSE", 1);
        }
        location("CT-SPARE", "STORE", 50);
        for (String sku : List.of("CT-PLENTY", "CT-MORE", LONGEST_SKU)) {
            for (String code : List.of("CT-WH", LONGEST_LOCATION)) {
                Api.stock(sku, code, PLENTY);
            }
        }
        Api.stock("CT-NONE", "CT-WH", 0);
        Api.stock("CT-COUNTED", "CT-WH", 7);
        Api.stock("CT-LOCKED", "CT-WH", PLENTY);
        Map<String, String> values = new HashMap<>();
        values.put("STOREFRONT_TOKEN", Tokens.withRoles("storefront"));
        values.put("WAREHOUSE_TOKEN", Tokens.withRoles("warehouse"));
        for (String held : List.of("READ_ID", "COMMIT_ID", "RELEASE_ID", "RELEASED_ID", "LOCKED_ID")) {
            values.put(held, Api.reserveOk(Api.hold("ct-fixture", List.of(Api.line("CT-PLENTY", 1, "CT-WH")))));
        }
        given().delete("/v1/reservations/{id}", values.get("RELEASED_ID")).then().statusCode(200);
        String key = "ct-bound-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).header("Idempotency-Key", key)
                .body(Api.hold("ct-fixture", List.of(Api.line("CT-PLENTY", 1, null)))).post("/v1/reservations")
                .then().statusCode(201);
        values.put("BOUND_KEY", key);
        return values;
    }

    private static void location(String code, String kind, int priority) {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "Contract " + code.substring(0, 5), "kind", kind, "priority", priority, "active",
                        true))
                .put("/v1/locations/{code}", code).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    /** Writes the description, the tester's settings and the examples with their values filled in. */
    private static void prepare(String description, Map<String, String> values) throws IOException {
        Path examples = DIR.resolve("examples");
        if (Files.exists(DIR)) {
            try (Stream<Path> old = Files.walk(DIR)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(examples);
        Files.writeString(DIR.resolve("openapi.yaml"), description);
        Files.writeString(DIR.resolve("specmatic.yaml"), resource("contract/specmatic.yaml"));
        List<Path> templates;
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            templates = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        for (Path template : templates) {
            String name = template.getFileName().toString();
            String example = Files.readString(template, StandardCharsets.UTF_8);
            for (Map.Entry<String, String> value : values.entrySet()) {
                example = example.replace("${" + value.getKey() + "}", value.getValue());
            }
            assertThat(example).as(name).doesNotContain("${");
            Files.writeString(examples.resolve(name), example);
        }
    }

    /** Holds the stock row and the reservation row that the 503 examples touch, until the connection rolls back. */
    private Connection lockRowsOfTheUnavailableExamples(String reservationId) throws SQLException {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement stock = c.prepareStatement(
                "SELECT 1 FROM stock_level WHERE sku = 'CT-LOCKED' AND location = 'CT-WH' FOR UPDATE");
             PreparedStatement reservation = c.prepareStatement(
                     "SELECT 1 FROM reservation WHERE id = ?::uuid FOR UPDATE")) {
            stock.execute();
            reservation.setString(1, reservationId);
            reservation.execute();
        }
        return c;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = OpenApiContractTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
