package dev.stockroom.support;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Calls the HTTP API the way a storefront or a back office would. */
public final class Api {

    private static final String STOREFRONT = Tokens.withRoles("storefront");

    private Api() {
    }

    /** A SKU (or any name) no other test uses. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static void location(String code, int priority) {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "Location " + code, "kind", "WAREHOUSE", "priority", priority, "active", true))
                .put("/v1/locations/{code}", code).then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    public static void stock(String sku, String location, int onHand) {
        given().contentType(ContentType.JSON).body(Map.of("onHand", onHand))
                .put("/v1/stock/{sku}/locations/{location}", sku, location)
                .then().statusCode(org.hamcrest.Matchers.oneOf(200, 201));
    }

    public static Map<String, Object> line(String sku, int quantity, String location) {
        return location == null ? Map.of("sku", sku, "quantity", quantity)
                : Map.of("sku", sku, "quantity", quantity, "location", location);
    }

    public static Map<String, Object> hold(String orderRef, List<Map<String, Object>> lines) {
        return Map.of("orderRef", orderRef, "lines", lines);
    }

    /** Places a hold as a storefront does: with a token that has the storefront role and no other. */
    public static ValidatableResponse reserve(Object body) {
        return given().header("Authorization", "Bearer " + STOREFRONT).contentType(ContentType.JSON).body(body)
                .post("/v1/reservations").then();
    }

    public static String reserveOk(Object body) {
        return reserve(body).statusCode(201).extract().path("id");
    }
}
