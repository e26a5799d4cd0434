package dev.stockroom.platform.security;

import dev.stockroom.support.Api;
import dev.stockroom.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** With {@code stockroom.security.anonymous-reads=true}, availability reads open up and nothing else does. */
@QuarkusTest
@TestProfile(AnonymousReadsTest.OpenReads.class)
class AnonymousReadsTest {

    /** Reads open to callers without a token. */
    public static class OpenReads implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockroom.security.anonymous-reads", "true");
        }
    }

    @Test
    void read_withoutToken_isServed() {
        // Given
        String location = Api.unique("WH");
        String sku = Api.unique("ANON");
        Api.location(location, 1);
        Api.stock(sku, location, 7);

        // When / Then
        given().noFilters().get("/v1/stock/{sku}", sku).then().statusCode(200).body("onHand", equalTo(7));
        given().noFilters().queryParam("sku", sku).get("/v1/stock").then().statusCode(200);
        given().noFilters().get("/v1/locations").then().statusCode(200);
    }

    @Test
    void writesAndHolds_withoutToken_stay401() {
        // Given
        String location = Api.unique("WH");
        String sku = Api.unique("ANON");
        Api.location(location, 1);
        Api.stock(sku, location, 7);
        String hold = Api.reserveOk(Api.hold("o", List.of(Api.line(sku, 1, location))));

        // When / Then
        given().noFilters().contentType(ContentType.JSON).body(Map.of("onHand", 1))
                .put("/v1/stock/{sku}/locations/{location}", sku, location).then().statusCode(401);
        given().noFilters().contentType(ContentType.JSON).body(Api.hold("o", List.of(Api.line(sku, 1, location))))
                .post("/v1/reservations").then().statusCode(401);
        given().noFilters().get("/v1/reservations/{id}", hold).then().statusCode(401);
        given().noFilters().contentType(ContentType.JSON)
                .body(Map.of("name", "x", "kind", "STORE", "priority", 1, "active", true))
                .put("/v1/locations/{code}", location).then().statusCode(401);
    }

    @Test
    void read_withInvalidToken_is401EvenWhenReadsAreOpen() {
        // Given: a caller that sends a token the service cannot trust
        String token = Tokens.signedByStranger(Roles.STOREFRONT);

        // When / Then: it learns its token is broken instead of silently reading as anonymous
        given().header("Authorization", "Bearer " + token).get("/v1/locations").then().statusCode(401)
                .contentType("application/problem+json");
    }
}
