package dev.stockroom.platform;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.TestClock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/**
 * Every malformed or out-of-range request gets a 4xx problem that says what is wrong, and changes nothing; JSON is
 * read strictly as documented; a retried hold is answered with the reservation as it is now.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

    private static final String PROBLEMS = "https://stockroom.dev/problems/";

    private static final int HOLD_TTL_SECONDS = 60;

    @Inject
    Db db;

    @Inject
    TestClock clock;

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
                Arguments.of("unknown field", hold("{\"sku\":\"%s\",\"quantity\":1}", ",\"coupon\":\"FREE\""), 400,
                        "malformed-json"),
                Arguments.of("quantity not a number", hold("{\"sku\":\"%s\",\"quantity\":\"two\"}", ""), 400,
                        "malformed-json"),
                Arguments.of("no body", "", 400, "invalid-request"),
                Arguments.of("null body", "null", 400, "invalid-request"),
                Arguments.of("missing orderRef", "{\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}", 400,
                        "invalid-request"),
                Arguments.of("orderRef of white space only", hold("{\"sku\":\"%s\",\"quantity\":1}", "").replace(
                        "\"o\"", "\"\u2003 \""), 400, "invalid-request"),
                Arguments.of("missing lines", "{\"orderRef\":\"o\"}", 400, "invalid-request"),
                Arguments.of("empty lines", "{\"orderRef\":\"o\",\"lines\":[]}", 400, "invalid-request"),
                Arguments.of("missing quantity", hold("{\"sku\":\"%s\"}", ""), 400, "invalid-request"),
                Arguments.of("missing sku", hold("{\"quantity\":1}", ""), 400, "invalid-request"),
                Arguments.of("quantity zero", hold("{\"sku\":\"%s\",\"quantity\":0}", ""), 400, "invalid-request"),
                Arguments.of("quantity negative", hold("{\"sku\":\"%s\",\"quantity\":-3}", ""), 400, "invalid-request"),
                Arguments.of("quantity above maximum", hold("{\"sku\":\"%s\",\"quantity\":1001}", ""), 400,
                        "invalid-request"),
                Arguments.of("too many lines", "{\"orderRef\":\"o\",\"lines\":" + manyLines + "}", 400,
                        "invalid-request"),
                Arguments.of("lines with and without location for one SKU", hold(
                        "{\"sku\":\"%1$s\",\"quantity\":1},{\"sku\":\"%1$s\",\"quantity\":2,\"location\":\"WH-1\"}",
                        ""), 400, "invalid-request"),
                Arguments.of("sku over 64 characters", hold("{\"sku\":\"" + longSku + "\",\"quantity\":1}", ""), 400,
                        "invalid-request"),
                Arguments.of("sku with control character", hold("{\"sku\":\"AB\\u0007C\",\"quantity\":1}", ""), 400,
                        "invalid-request"),
                Arguments.of("unknown location", hold("{\"sku\":\"%s\",\"quantity\":1,\"location\":\"NOWHERE-1\"}", ""),
                        422, "unknown-location"),
                Arguments.of("ttl zero", hold("{\"sku\":\"%s\",\"quantity\":1}", ",\"ttlSeconds\":0"), 400,
                        "invalid-request"),
                Arguments.of("ttl above maximum", hold("{\"sku\":\"%s\",\"quantity\":1}", ",\"ttlSeconds\":3601"), 400,
                        "invalid-request"),
                Arguments.of("orderRef too long", "{\"orderRef\":\"" + "o".repeat(129)
                        + "\",\"lines\":[{\"sku\":\"A\",\"quantity\":1}]}", 400, "invalid-request"));
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
                Arguments.of("non-UUID id on commit", "POST", "/v1/reservations/12345/commit", null, 400,
                        "invalid-request"),
                Arguments.of("non-UUID id on release", "DELETE", "/v1/reservations/xyz", null, 400, "invalid-request"),
                Arguments.of("unknown reservation", "GET", "/v1/reservations/00000000-0000-0000-0000-000000000000",
                        null, 404, "reservation-not-found"),
                Arguments.of("commit of a released hold", "POST", "/v1/reservations/{released}/commit", null, 409,
                        "invalid-state"),
                Arguments.of("sku over 64 characters on read", "GET", "/v1/stock/" + "S".repeat(65), null, 400,
                        "invalid-request"),
                Arguments.of("bulk read without sku", "GET", "/v1/stock", null, 400, "invalid-request"),
                Arguments.of("bulk read over 500 SKUs", "GET", "/v1/stock?" + IntStream.range(0, 501)
                        .mapToObj(i -> "sku=S" + i).collect(Collectors.joining("&")), null, 400, "invalid-request"),
                Arguments.of("negative on-hand", "PUT", "/v1/stock/{sku}/locations/{location}", "{\"onHand\":-1}", 400,
                        "invalid-request"),
                Arguments.of("missing on-hand", "PUT", "/v1/stock/{sku}/locations/{location}", "{\"safetyStock\":1}",
                        400, "invalid-request"),
                Arguments.of("correction at unknown location", "PUT", "/v1/stock/{sku}/locations/NOWHERE-2",
                        "{\"onHand\":5}", 404, "location-not-found"),
                Arguments.of("location with unknown kind", "PUT", "/v1/locations/{location}",
                        "{\"name\":\"x\",\"kind\":\"SPACESHIP\",\"priority\":1,\"active\":true}", 400,
                        "malformed-json"),
                Arguments.of("location with negative priority", "PUT", "/v1/locations/{location}",
                        "{\"name\":\"x\",\"kind\":\"STORE\",\"priority\":-1,\"active\":true}", 400, "invalid-request"),
                Arguments.of("location code with a space", "PUT", "/v1/locations/bad%20code",
                        "{\"name\":\"x\",\"kind\":\"STORE\",\"priority\":1,\"active\":true}", 400, "invalid-request"),
                Arguments.of("idempotency key too long", "POST-KEY", "/v1/reservations",
                        "{\"orderRef\":\"o\",\"lines\":[{\"sku\":\"{sku}\",\"quantity\":1}]}", 400, "invalid-request"),
                Arguments.of("idempotency key empty", "POST-KEY-EMPTY", "/v1/reservations",
                        "{\"orderRef\":\"o\",\"lines\":[{\"sku\":\"{sku}\",\"quantity\":1}]}", 400, "invalid-request"),
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
        if (method.startsWith("POST-KEY")) {
            request.header("Idempotency-Key", method.equals("POST-KEY-EMPTY") ? "" : "k".repeat(129));
            method = "POST";
        }
        ValidatableResponse response = request.request(method, resolved).then();
        response.statusCode(status).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + type)).body("detail", not(emptyOrNullString()));
        assertThat(snapshot()).isEqualTo(before);
    }

    Stream<Arguments> strictBodies() {
        String hold = "/v1/reservations";
        String correction = "/v1/stock/{sku}/locations/{location}";
        String place = "/v1/locations/{location}";
        return Stream.of(
                // No coercion: a value of another JSON type is refused, never converted.
                Arguments.of("orderRef as a number", "POST", hold, hold("{\"sku\":\"%s\",\"quantity\":1}", "").replace(
                        "\"o\"", "707"), "malformed-json", null),
                Arguments.of("orderRef as a boolean", "POST", hold, hold("{\"sku\":\"%s\",\"quantity\":1}", "").replace(
                        "\"o\"", "true"), "malformed-json", null),
                Arguments.of("sku as a number", "POST", hold, hold("{\"sku\":4711,\"quantity\":1}", ""),
                        "malformed-json", null),
                Arguments.of("location as a number", "POST", hold, hold(
                        "{\"sku\":\"%s\",\"quantity\":1,\"location\":12}", ""), "malformed-json", null),
                Arguments.of("quantity as a string", "POST", hold, hold("{\"sku\":\"%s\",\"quantity\":\"2\"}", ""),
                        "malformed-json", null),
                Arguments.of("quantity as a fraction", "POST", hold, hold("{\"sku\":\"%s\",\"quantity\":1.5}", ""),
                        "malformed-json", null),
                Arguments.of("quantity as a boolean", "POST", hold, hold("{\"sku\":\"%s\",\"quantity\":true}", ""),
                        "malformed-json", null),
                Arguments.of("ttlSeconds as a string", "POST", hold, hold("{\"sku\":\"%s\",\"quantity\":1}",
                        ",\"ttlSeconds\":\"600\""), "malformed-json", null),
                Arguments.of("location name as a number", "PUT", place,
                        "{\"name\":707,\"kind\":\"STORE\",\"priority\":1,\"active\":true}", "malformed-json", null),
                Arguments.of("active as a number", "PUT", place,
                        "{\"name\":\"x\",\"kind\":\"STORE\",\"priority\":1,\"active\":869}", "malformed-json", null),
                Arguments.of("active as a string", "PUT", place,
                        "{\"name\":\"x\",\"kind\":\"STORE\",\"priority\":1,\"active\":\"true\"}", "malformed-json",
                        null),
                Arguments.of("kind as a number", "PUT", place,
                        "{\"name\":\"x\",\"kind\":1,\"priority\":1,\"active\":true}", "malformed-json", null),
                Arguments.of("priority as a fraction", "PUT", place,
                        "{\"name\":\"x\",\"kind\":\"STORE\",\"priority\":1.5,\"active\":true}", "malformed-json", null),
                Arguments.of("reason as a number", "PUT", correction, "{\"onHand\":7,\"reason\":12}", "malformed-json",
                        null),
                Arguments.of("onHand as a string", "PUT", correction, "{\"onHand\":\"7\"}", "malformed-json", null),
                // Numbers beyond 32 bits are well-formed JSON: the field is named, as for any value out of range.
                Arguments.of("quantity beyond 32 bits", "POST", hold, hold("{\"sku\":\"%s\",\"quantity\":3000000000}",
                        ""), "invalid-request", "lines[0].quantity"),
                Arguments.of("ttlSeconds beyond 64 bits, far beyond 32", "POST", hold, hold(
                        "{\"sku\":\"%s\",\"quantity\":1}", ",\"ttlSeconds\":99999999999999999999"), "invalid-request",
                        "ttlSeconds"),
                Arguments.of("onHand beyond 32 bits", "PUT", correction, "{\"onHand\":3000000000}", "invalid-request",
                        "onHand"),
                Arguments.of("priority beyond 32 bits", "PUT", place,
                        "{\"name\":\"x\",\"kind\":\"STORE\",\"priority\":-3000000000,\"active\":true}",
                        "invalid-request", "priority"),
                // Control characters in free text (PostgreSQL cannot store a NUL; a line break forges log lines).
                Arguments.of("NUL in orderRef", "POST", hold, hold("{\"sku\":\"%s\",\"quantity\":1}", "").replace(
                        "\"o\"", "\"o\\u0000x\""), "invalid-request", "orderRef"),
                Arguments.of("line break in orderRef", "POST", hold, hold("{\"sku\":\"%s\",\"quantity\":1}", "")
                        .replace("\"o\"", "\"o\\nx\""), "invalid-request", "orderRef"),
                Arguments.of("NUL in a correction's reason", "PUT", correction,
                        "{\"onHand\":7,\"reason\":\"count\\u0000ed\"}", "invalid-request", "reason"),
                Arguments.of("escape character in a location name", "PUT", place,
                        "{\"name\":\"x\\u001b[2J\",\"kind\":\"STORE\",\"priority\":1,\"active\":true}",
                        "invalid-request", "name"),
                Arguments.of("C1 control in a location name", "PUT", place,
                        "{\"name\":\"x\\u0085y\",\"kind\":\"STORE\",\"priority\":1,\"active\":true}", "invalid-request",
                        "name"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("strictBodies")
    void body_notStrictlyAsDocumented_isA400ProblemAndChangesNothing(String name, String method, String path,
                                                                     String body, String type, String field) {
        Snapshot before = snapshot();
        String resolved = path.replace("{sku}", sku).replace("{location}", location);
        ValidatableResponse response = given().contentType("application/json").body(body.replace("%s", sku))
                .request(method, resolved).then()
                .statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + type)).body("detail", not(emptyOrNullString()));
        if (field != null) {
            response.body("errors[0].field", equalTo(field));
        }
        assertThat(snapshot()).isEqualTo(before);
        given().get("/v1/locations").then().statusCode(200)
                .body("find { it.code == '" + location + "' }.name", equalTo("Location " + location));
    }

    @Test
    void replay_whileHeld_answersTheFirstAnswerToTheMicrosecond() {
        // Given
        String key = Api.unique("key");
        Map<String, Object> body = Api.hold("o-replay", List.of(Api.line(sku, 1, location)));
        Map<String, Object> first = keyed(key, body).statusCode(201).extract().jsonPath().getMap("");
        Snapshot before = snapshot();

        // When / Then
        Map<String, Object> replay = keyed(key, body).statusCode(201).header("Idempotent-Replayed", "true")
                .extract().jsonPath().getMap("");
        assertThat(replay).isEqualTo(first);
        assertThat(snapshot()).isEqualTo(before);
    }

    @Test
    void replay_afterRelease_answersReleasedWithTheFirstTimestamps() {
        replay_afterChange_answersTheReservationAsItIsNow("RELEASED",
                id -> given().delete("/v1/reservations/{id}", id).then().statusCode(200));
    }

    @Test
    void replay_afterCommit_answersCommittedWithTheFirstTimestamps() {
        replay_afterChange_answersTheReservationAsItIsNow("COMMITTED",
                id -> given().post("/v1/reservations/{id}/commit", id).then().statusCode(200));
    }

    @Test
    void replay_afterExpiry_answersExpiredWithTheFirstTimestamps() {
        replay_afterChange_answersTheReservationAsItIsNow("EXPIRED", id -> {
            clock.advance(Duration.ofSeconds(HOLD_TTL_SECONDS + 1));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/v1/reservations/{id}", id)
                    .then().body("status", equalTo("EXPIRED")));
        });
    }

    private void replay_afterChange_answersTheReservationAsItIsNow(String status, Consumer<String> change) {
        // Given: a keyed hold, which then changes state
        String key = Api.unique("key");
        Map<String, Object> body = new HashMap<>(Api.hold("o-replay", List.of(Api.line(sku, 1, location))));
        body.put("ttlSeconds", HOLD_TTL_SECONDS);
        Map<String, Object> first = keyed(key, body).statusCode(201).header("Idempotent-Replayed", nullValue())
                .extract().jsonPath().getMap("");
        change.accept((String) first.get("id"));
        Snapshot before = snapshot();

        // When: the client retries the hold, as after a lost answer
        Map<String, Object> replay = keyed(key, body).statusCode(201).header("Idempotent-Replayed", "true")
                .header("Location", endsWith("/v1/reservations/" + first.get("id")))
                .extract().jsonPath().getMap("");

        // Then: the reservation as it is now, with the first answer's timestamps and lines; nothing held again
        Map<String, Object> expected = new HashMap<>(first);
        expected.put("status", status);
        assertThat(replay).isEqualTo(expected);
        assertThat(snapshot()).isEqualTo(before);
    }

    private static ValidatableResponse keyed(String key, Object body) {
        return given().contentType("application/json").header("Idempotency-Key", key).body(body)
                .post("/v1/reservations").then();
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
