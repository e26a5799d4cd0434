package dev.stockroom.history;

import dev.stockroom.support.Api;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URL;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The history and report endpoints as a client sees them: their answers, their refusals, their description. */
@QuarkusTest
class HistoryApiTest {

    private static final LocalDate TODAY = LocalDate.now(ZoneOffset.UTC);

    @TestHTTPResource(value = "openapi", management = true)
    URL openapi;

    /** A request that must be refused with a 400 naming the field, and a phrase of the explanation. */
    record Bad(String name, String path, Map<String, Object> query, String field, String says) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Bad> badRequests() {
        String flow = "/v1/reports/stock-flow";
        String year = TODAY.minusDays(365).toString();
        return Stream.of(
                new Bad("range over 400 days", flow, Map.of("sku", "A1", "from", TODAY.minusDays(401).toString(),
                        "to", TODAY.toString()), "to", "at most 400 days"),
                new Bad("range backwards", flow, Map.of("sku", "A1", "from", TODAY.toString(), "to", year), "to",
                        "after from"),
                new Bad("bad granularity", flow, Map.of("sku", "A1", "from", year, "to", TODAY.toString(),
                        "granularity", "hour"), "granularity", "day, week, month"),
                new Bad("neither sku nor location", flow, Map.of("from", year, "to", TODAY.toString()), "sku",
                        "a sku, a location"),
                new Bad("missing from", flow, Map.of("sku", "A1", "to", TODAY.toString()), "from", "required"),
                new Bad("malformed date", flow, Map.of("sku", "A1", "from", "2026-13-01", "to", TODAY.toString()),
                        "from", "a date"),
                new Bad("malformed sku", flow, Map.of("sku", "-x", "from", year, "to", TODAY.toString()), "sku",
                        "letters, digits"),
                new Bad("shrinkage over 400 days", "/v1/reports/shrinkage", Map.of("from", "2020-01-01",
                        "to", TODAY.toString()), "to", "at most 400 days"),
                new Bad("shrinkage limit 0", "/v1/reports/shrinkage", Map.of("from", year, "to", TODAY.toString(),
                        "limit", 0), "limit", "1 to 500"),
                new Bad("page limit 501", "/v1/stock/A1/movements", Map.of("limit", 501), "limit", "1 to 500"),
                new Bad("page limit not a number", "/v1/stock/A1/movements", Map.of("limit", "ten"), "limit",
                        "1 to 500"),
                new Bad("page range over 400 days", "/v1/stock/A1/movements", Map.of("from", "2024-01-01T00:00:00Z",
                        "to", "2025-06-01T00:00:00Z"), "to", "at most 400 days"),
                new Bad("page kind unknown", "/v1/stock/A1/movements", Map.of("kind", "STOLEN"), "kind", "HOLD"),
                new Bad("page cursor forged", "/v1/stock/A1/movements", Map.of("cursor", "bm90LWEtY3Vyc29y"), "cursor",
                        "not a cursor"),
                new Bad("page from malformed", "/v1/stock/A1/movements", Map.of("from", "yesterday"), "from",
                        "date-time"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void badRequest_isA400ProblemNamingTheField(Bad bad) {
        // When
        Response response = given().queryParams(bad.query()).get(bad.path());

        // Then
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.jsonPath().getString("type")).isEqualTo("https://stockroom.dev/problems/invalid-request");
        assertThat(response.jsonPath().getString("errors[0].field")).isEqualTo(bad.field());
        assertThat(response.jsonPath().getString("detail")).contains(bad.says());
    }

    @Test
    void movementsAndStockFlow_afterAHoldCommitAndRelease_showWhatHappened() {
        // Given
        String location = Api.unique("WH");
        String sku = Api.unique("API");
        Api.location(location, 1);
        Api.stock(sku, location, 50);
        String kept = Api.reserveOk(Api.hold("o-api", List.of(Api.line(sku, 3, location))));
        String dropped = Api.reserveOk(Api.hold("o-api", List.of(Api.line(sku, 2, location))));
        given().post("/v1/reservations/{id}/commit", kept).then().statusCode(200);
        given().delete("/v1/reservations/{id}", dropped).then().statusCode(200);

        // When / Then: the ledger rows, newest first, two per page
        given().queryParam("limit", 2).get("/v1/stock/{sku}/movements", sku).then().statusCode(200)
                .body("sku", equalTo(sku))
                .body("items.kind", equalTo(List.of("RELEASE", "COMMIT")))
                .body("items[0].reservedDelta", equalTo(-2))
                .body("items[0].reservationId", equalTo(dropped))
                .body("items[1].committedDelta", equalTo(3))
                .body("items[0].occurredAt", notNullValue())
                .body("items[0].recordedAt", notNullValue())
                .body("nextCursor", notNullValue());
        // ... and the day's flow
        given().queryParam("sku", sku).queryParam("from", TODAY.toString())
                .queryParam("to", TODAY.plusDays(1).toString()).get("/v1/reports/stock-flow").then().statusCode(200)
                .body("granularity", equalTo("day"))
                .body("location", nullValue())
                .body("periods.size()", equalTo(1))
                .body("periods[0].correctedUp", equalTo(50))
                .body("periods[0].held", equalTo(5))
                .body("periods[0].committed", equalTo(3))
                .body("periods[0].released", equalTo(2))
                .body("periods[0].netOnHand", equalTo(50))
                .body("periods[0].movements", equalTo(5));
    }

    @Test
    void openApi_describesEveryAnswerOfTheHistoryEndpoints() {
        // When
        Response document = given().noFilters().queryParam("format", "json").get(openapi);

        // Then: every status, with problem+json bodies for the errors and Retry-After on 503
        for (String path : List.of("/v1/stock/{sku}/movements", "/v1/reports/stock-flow", "/v1/reports/shrinkage")) {
            String get = "paths.'" + path + "'.get";
            document.then().body(get + ".responses.keySet()", hasItems("200", "400", "401", "403", "503", "500"))
                    .body(get + ".responses.'400'.content.'application/problem+json'.schema", notNullValue())
                    .body(get + ".responses.'503'.headers.'Retry-After'", notNullValue())
                    .body(get + ".responses.'200'.content.'application/json'.schema.'$ref'", notNullValue());
        }
        document.then()
                .body("paths.'/v1/stock/{sku}/movements'.get.parameters.find { it.name == 'limit' }.schema.maximum",
                        equalTo(500))
                .body("paths.'/v1/reports/stock-flow'.get.parameters.find { it.name == 'granularity' }.schema.enum",
                        equalTo(List.of("day", "week", "month")));
    }
}
