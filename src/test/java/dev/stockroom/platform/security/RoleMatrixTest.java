package dev.stockroom.platform.security;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Every endpoint against every role: who may call what, and what an unwelcome caller gets back. */
@QuarkusTest
class RoleMatrixTest {

    private static final String AUDITOR = "auditor"; // a role some other system might issue; Stockroom knows none such
    private static final List<String> ROLES = List.of(Roles.STOREFRONT, Roles.WAREHOUSE, Roles.REPORTING, Roles.ADMIN,
            AUDITOR);
    private static final Set<String> READERS = Set.of(Roles.STOREFRONT, Roles.WAREHOUSE, Roles.ADMIN);
    private static final Set<String> SELLERS = Set.of(Roles.STOREFRONT, Roles.ADMIN);
    private static final Set<String> REPORTERS = Set.of(Roles.REPORTING, Roles.ADMIN);

    @Inject
    Db db;

    /** Data one call needs: a location, a SKU with 100 units there, and a live hold of 1 unit. */
    record Fixture(String location, String sku, String holdId) {
        static Fixture create() {
            String location = Api.unique("WH");
            String sku = Api.unique("SEC");
            Api.location(location, 1);
            Api.stock(sku, location, 100);
            return new Fixture(location, sku, Api.reserveOk(Api.hold("o-sec", List.of(Api.line(sku, 1, location)))));
        }
    }

    /** One endpoint: the roles allowed to call it, the status they get, and how to call it. */
    record Endpoint(String name, Set<String> allowed, int success,
                    BiFunction<RequestSpecification, Fixture, Response> call) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Endpoint> endpoints() {
        return Stream.of(
                new Endpoint("GET /v1/locations", READERS, 200, (r, f) -> r.get("/v1/locations")),
                new Endpoint("PUT /v1/locations/{code}", Set.of(Roles.ADMIN), 200, (r, f) -> r.contentType(
                        ContentType.JSON)
                        .body(Map.of("name", "Renamed", "kind", "STORE", "priority", 2, "active", true))
                        .put("/v1/locations/{code}", f.location())),
                new Endpoint("GET /v1/stock/{sku}", READERS, 200, (r, f) -> r.get("/v1/stock/{sku}", f.sku())),
                new Endpoint("GET /v1/stock?sku=", READERS, 200, (r, f) -> r.queryParam("sku", f.sku()).get(
                        "/v1/stock")),
                new Endpoint("PUT /v1/stock/{sku}/locations/{location}", Set.of(Roles.WAREHOUSE, Roles.ADMIN), 200,
                        (r, f) -> r.contentType(ContentType.JSON).body(Map.of("onHand", 90, "reason", "count"))
                                .put("/v1/stock/{sku}/locations/{location}", f.sku(), f.location())),
                new Endpoint("POST /v1/reservations", SELLERS, 201, (r, f) -> r.contentType(ContentType.JSON)
                        .body(Api.hold("o-sec", List.of(Api.line(f.sku(), 2, f.location())))).post("/v1/reservations")),
                new Endpoint("GET /v1/reservations/{id}", SELLERS, 200, (r, f) -> r.get("/v1/reservations/{id}", f
                        .holdId())),
                new Endpoint("POST /v1/reservations/{id}/commit", SELLERS, 200,
                        (r, f) -> r.post("/v1/reservations/{id}/commit", f.holdId())),
                new Endpoint("DELETE /v1/reservations/{id}", SELLERS, 200,
                        (r, f) -> r.delete("/v1/reservations/{id}", f.holdId())),
                new Endpoint("POST /v1/admin/availability/invalidate", Set.of(Roles.ADMIN), 204,
                        (r, f) -> r.post("/v1/admin/availability/invalidate")),
                // History and reports: the reporting role and admin; storefront and warehouse tokens may not.
                new Endpoint("GET /v1/stock/{sku}/movements", REPORTERS, 200,
                        (r, f) -> r.get("/v1/stock/{sku}/movements", f.sku())),
                new Endpoint("GET /v1/reports/stock-flow", REPORTERS, 200, (r, f) -> r.queryParam("sku", f.sku())
                        .queryParam("from", "2026-01-01").queryParam("to", "2026-02-01").get("/v1/reports/stock-flow")),
                new Endpoint("GET /v1/reports/shrinkage", REPORTERS, 200, (r, f) -> r.queryParam("from", "2026-01-01")
                        .queryParam("to", "2026-02-01").get("/v1/reports/shrinkage")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void call_withoutToken_is401ProblemAndChangesNothing(Endpoint endpoint) {
        // Given
        Fixture fixture = Fixture.create();
        Map<String, Object> before = state(fixture);

        // When
        Response response = endpoint.call().apply(given().noFilters(), fixture);

        // Then
        assertUnauthorized(response);
        assertThat(state(fixture)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void call_withWrongRole_is403ProblemAndChangesNothing(Endpoint endpoint) {
        for (String role : ROLES.stream().filter(r -> !endpoint.allowed().contains(r)).toList()) {
            // Given
            Fixture fixture = Fixture.create();
            Map<String, Object> before = state(fixture);

            // When
            Response response = endpoint.call().apply(as(Tokens.withRoles(role)), fixture);

            // Then
            assertThat(response.statusCode()).as("%s as %s", endpoint, role).isEqualTo(403);
            assertProblem(response, "forbidden");
            assertThat(state(fixture)).as("%s as %s", endpoint, role).isEqualTo(before);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void call_withAllowedRole_succeeds(Endpoint endpoint) {
        for (String role : endpoint.allowed()) {
            // Given
            Fixture fixture = Fixture.create();

            // When
            Response response = endpoint.call().apply(as(Tokens.withRoles(role)), fixture);

            // Then
            assertThat(response.statusCode()).as("%s as %s: %s", endpoint, role, response.asString())
                    .isEqualTo(endpoint.success());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void call_withTokenSignedByAnotherKey_is401(Endpoint endpoint) {
        // Given: the right role and issuer, but a signature the service cannot verify
        Fixture fixture = Fixture.create();
        Map<String, Object> before = state(fixture);

        // When
        Response response = endpoint.call().apply(as(Tokens.signedByStranger(Roles.ADMIN)), fixture);

        // Then
        assertUnauthorized(response);
        assertThat(state(fixture)).isEqualTo(before);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void call_withExpiredToken_is401(Endpoint endpoint) {
        // Given
        Fixture fixture = Fixture.create();

        // When
        Response response = endpoint.call().apply(as(Tokens.expired(Roles.ADMIN)), fixture);

        // Then
        assertUnauthorized(response);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void call_withTokenFromAnotherIssuer_is401(Endpoint endpoint) {
        // Given: signed with the trusted key, but for someone else's audience of issuers
        Fixture fixture = Fixture.create();

        // When
        Response response = endpoint.call().apply(as(Tokens.fromIssuer("https://elsewhere.example", Roles.ADMIN)),
                fixture);

        // Then
        assertUnauthorized(response);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("endpoints")
    void call_withTokenForAnotherAudience_is401(Endpoint endpoint) {
        // Given: the trusted key and issuer, but a token the provider issued for another application, as admin
        Fixture fixture = Fixture.create();
        Map<String, Object> before = state(fixture);

        // When
        Response response = endpoint.call().apply(as(Tokens.forAudience("https://billing.example", Roles.ADMIN)),
                fixture);

        // Then
        assertUnauthorized(response);
        assertThat(state(fixture)).isEqualTo(before);
    }

    private static RequestSpecification as(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    private static void assertUnauthorized(Response response) {
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(401);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertProblem(response, "unauthorized");
    }

    private static void assertProblem(Response response, String type) {
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("type")).isEqualTo("https://stockroom.dev/problems/" + type);
        assertThat(response.jsonPath().getInt("status")).isEqualTo(response.statusCode());
    }

    /** Everything a refused call could have changed: the location, the stock level, the holds on the SKU. */
    private Map<String, Object> state(Fixture f) {
        return Map.of(
                "location", db.rows("SELECT name, kind, priority, active FROM location WHERE code = ?", f.location()),
                "level", List.of(db.level(f.sku(), f.location())[0], db.level(f.sku(), f.location())[1],
                        db.level(f.sku(), f.location())[2]),
                "holds", db.rows(
                        "SELECT r.id, r.status FROM reservation r JOIN reservation_line l ON l.reservation_id = r.id"
                                + " WHERE l.sku = ? ORDER BY r.id", f.sku()),
                "ledger", db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ?", f.sku()));
    }
}
