package dev.stockroom.platform;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.emptyOrNullString;

/** Every malformed or out-of-range request gets a 4xx problem that says what is wrong, and changes nothing. */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private static final String PROBLEMS = "https://stockroom.dev/problems/";

    @Inject
    Db db;

    private String location;
    private String sku;
    private String released;

    @BeforeEach
    void stock() {
        if (sku != null) {
            return;
        }
        location = Api.unique("WH");
        sku = Api.unique("BAD");
        Api.location(location, 1);
        Api.stock(sku, location, 50);
        released = Api.reserveOk(Api.hold("o", List.of(Api.line(sku, 1, location))));
        given().delete("/v1/reservations/{id}", released).then().statusCode(200);
    }

    Stream<Arguments> badHolds() {
        String longSku = "S".repeat(65);
        String manyLines = IntStream.range(0, 101)
                .mapToObj(i -> "{\"sku\":\"X" + i + "\",\"quantity\":1}").collect(Collectors.joining(",", "[", "]"));
        return Stream.of(
                Arguments.of("malformed JSON", "{\"orderRef\": \"o\", \"lines\": [", 400, "malformed-json"),
                Arguments.of("not an object", "[1, 2]", 400, "malformed-json"),
                Arguments.of("unknown field", hold("{\"sku\":\"%s\",\"quantity\":1}", ",\"coupon\":\"FREE\""), 400, "malformed-json"),
                Arguments.of("quantity not a number", hold("{\"sku\":\"%s\",\"quantity\":\"two\"}", ""), 400, "malformed-json"),
                Arguments.of("missing orderRef", "{\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}", 400, "invalid-request"),
                Arguments.of("missing lines", "{\"orderRef\":\"o\"}", 400, "invalid-request"),
                Arguments.of("empty lines", "{\"orderRef\":\"o\",\"lines\":[]}", 400, "invalid-request"),
                Arguments.of("missing quantity", hold("{\"sku\":\"%s\"}", ""), 400, "invalid-request"),
                Arguments.of("missing sku", hold("{\"quantity\":1}", ""), 400, "invalid-request"),
                Arguments.of("quantity zero", hold("{\"sku\":\"%s\",\"quantity\":0}", ""), 400, "invalid-request"),
                Arguments.of("quantity negative", hold("{\"sku\":\"%s\",\"quantity\":-3}", ""), 400, "invalid-request"),
                Arguments.of("quantity above maximum", hold("{\"sku\":\"%s\",\"quantity\":1001}", ""), 400, "invalid-request"),
                Arguments.of("too many lines", "{\"orderRef\":\"o\",\"lines\":" + manyLines + "}", 400, "invalid-request"),
                Arguments.of("duplicate lines", hold("{\"sku\":\"%1$s\",\"quantity\":1},{\"sku\":\"%1$s\",\"quantity\":2}", ""), 400, "invalid-request"),
                Arguments.of("sku over 64 characters", hold("{\"sku\":\"" + longSku + "\",\"quantity\":1}", ""), 400, "invalid-request"),
                Arguments.of("sku with control character", hold("{\"sku\":\"AB\\u0007C\",\"quantity\":1}", ""), 400, "invalid-request"),
                Arguments.of("unknown location", hold("{\"sku\":\"%s\",\"quantity\":1,\"location\":\"NOWHERE-1\"}", ""), 422, "unknown-location"),
                Arguments.of("ttl zero", hold("{\"sku\":\"%s\",\"quantity\":1}", ",\"ttlSeconds\":0"), 400, "invalid-request"),
                Arguments.of("ttl above maximum", hold("{\"sku\":\"%s\",\"quantity\":1}", ",\"ttlSeconds\":3601"), 400, "invalid-request"),
                Arguments.of("orderRef too long", "{\"orderRef\":\"" + "o".repeat(129) + "\",\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}", 400, "invalid-request"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badHolds")
    void reserve_badInput_isAProblemAndChangesNothing(String name, String body, int status, String type) {
        Snapshot before = snapshot();
        given().contentType("application/json").body(body.replace("%s", sku).replace("%1$s", sku))
                .post("/v1/reservations").then()
                .statusCode(status).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + type))
                .body("status", equalTo(status))
                .body("detail", not(emptyOrNullString()));
        assertThat(snapshot()).isEqualTo(before);
    }

    Stream<Arguments> badCalls() {
        return Stream.of(
                Arguments.of("non-UUID id on read", "GET", "/v1/reservations/not-a-uuid", null, 400, "invalid-request"),
                Arguments.of("non-UUID id on commit", "POST", "/v1/reservations/12345/commit", null, 400, "invalid-request"),
                Arguments.of("non-UUID id on release", "DELETE", "/v1/reservations/xyz", null, 400, "invalid-request"),
                Arguments.of("unknown reservation", "GET", "/v1/reservations/00000000-0000-0000-0000-000000000000", null, 404, "reservation-not-found"),
                Arguments.of("commit of a released hold", "POST", "/v1/reservations/{released}/commit", null, 409, "invalid-state"),
                Arguments.of("sku over 64 characters on read", "GET", "/v1/stock/" + "S".repeat(65), null, 400, "invalid-request"),
                Arguments.of("bulk read without sku", "GET", "/v1/stock", null, 400, "invalid-request"),
                Arguments.of("bulk read over 500 SKUs", "GET", "/v1/stock?" + IntStream.range(0, 501)
                        .mapToObj(i -> "sku=S" + i).collect(Collectors.joining("&")), null, 400, "invalid-request"),
                Arguments.of("negative on-hand", "PUT", "/v1/stock/{sku}/locations/{location}", "{\"onHand\":-1}", 400, "invalid-request"),
                Arguments.of("missing on-hand", "PUT", "/v1/stock/{sku}/locations/{location}", "{\"safetyStock\":1}", 400, "invalid-request"),
                Arguments.of("correction at unknown location", "PUT", "/v1/stock/{sku}/locations/NOWHERE-2", "{\"onHand\":5}", 404, "location-not-found"),
                Arguments.of("location with unknown kind", "PUT", "/v1/locations/{location}",
                        "{\"name\":\"x\",\"kind\":\"SPACESHIP\",\"priority\":1,\"active\":true}", 400, "malformed-json"),
                Arguments.of("location with negative priority", "PUT", "/v1/locations/{location}",
                        "{\"name\":\"x\",\"kind\":\"STORE\",\"priority\":-1,\"active\":true}", 400, "invalid-request"),
                Arguments.of("location code with a space", "PUT", "/v1/locations/bad%20code",
                        "{\"name\":\"x\",\"kind\":\"STORE\",\"priority\":1,\"active\":true}", 400, "invalid-request"),
                Arguments.of("idempotency key too long", "POST-KEY", "/v1/reservations", "{\"orderRef\":\"o\",\"lines\":[{\"sku\":\"{sku}\",\"quantity\":1}]}", 400, "invalid-request"),
                Arguments.of("no such endpoint", "GET", "/v1/nothing-here", null, 404, "not-found"),
                Arguments.of("wrong method", "PATCH", "/v1/reservations", "{}", 405, "method-not-allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCalls")
    void call_badInput_isAProblemAndChangesNothing(String name, String method, String path, String body, int status,
                                                   String type) {
        Snapshot before = snapshot();
        String resolved = path.replace("{sku}", sku).replace("{location}", location).replace("{released}", released);
        var request = given().contentType("application/json").urlEncodingEnabled(false);
        if (body != null) {
            request.body(body.replace("{sku}", sku));
        }
        if (method.equals("POST-KEY")) {
            request.header("Idempotency-Key", "k".repeat(129));
            method = "POST";
        }
        ValidatableResponse response = request.request(method, resolved).then();
        response.statusCode(status).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + type)).body("detail", not(emptyOrNullString()));
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void reserve_wrongContentType_is415Problem() {
        given().contentType("text/plain").body("hold please").post("/v1/reservations").then()
                .statusCode(415).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "unsupported-media-type"));
    }

    private record Snapshot(long reservations, long movements, List<Map<String, Object>> level, String releasedStatus,
                            long locations) {
    }

    private Snapshot snapshot() {
        return new Snapshot(
                db.scalar("SELECT count(*) FROM reservation"),
                db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ?", sku),
                db.rows("SELECT * FROM stock_level WHERE sku = ?", sku),
                (String) db.rows("SELECT status FROM reservation WHERE id = ?::uuid", released).get(0).get("status"),
                db.scalar("SELECT count(*) FROM location"));
    }

    private static String hold(String line, String extra) {
        return "{\"orderRef\":\"o\",\"lines\":[" + line + "]" + extra + "}";
    }
}
