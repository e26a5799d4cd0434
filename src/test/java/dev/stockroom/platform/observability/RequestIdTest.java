package dev.stockroom.platform.observability;

import dev.stockroom.support.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** Every request has an id: the caller's, or a new one; it is echoed and stamped on the request's log lines. */
@QuarkusTest
class RequestIdTest {

    /** The security layer logs each refusal at DEBUG in tests: a log line written while serving a request. */
    private static final String SECURITY_LOG = "dev.stockroom.platform.security";

    private final List<String> loggedIds = new CopyOnWriteArrayList<>();
    private final ExtHandler capture = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            loggedIds.add(String.valueOf(record.getMdc(RequestIdFilter.MDC_KEY)));
        }
    };

    @BeforeEach
    void captureLogs() {
        logger().addHandler(capture);
    }

    @AfterEach
    void releaseLogs() {
        logger().removeHandler(capture);
    }

    @Test
    void request_withSaneRequestId_echoesItAndLogsIt() {
        // When: a refused call, so that the security layer writes a log line while serving it
        String echoed = given().noFilters().header(RequestIdFilter.HEADER, "checkout-42.a")
                .get("/v1/reservations/{id}", java.util.UUID.randomUUID())
                .then().statusCode(401).extract().header(RequestIdFilter.HEADER);

        // Then
        assertThat(echoed).isEqualTo("checkout-42.a");
        assertThat(loggedIds).contains("checkout-42.a");
    }

    @Test
    void request_withoutRequestId_getsFreshIdPerRequest() {
        // When
        String first = given().get("/v1/locations").then().statusCode(200).extract().header(RequestIdFilter.HEADER);
        String second = given().get("/v1/locations").then().statusCode(200).extract().header(RequestIdFilter.HEADER);

        // Then
        assertThat(first).matches("[0-9a-f-]{36}");
        assertThat(second).matches("[0-9a-f-]{36}").isNotEqualTo(first);
    }

    @Test
    void request_withForgedRequestId_isReplaced() {
        // Given: an id that would break a log line open
        String forged = "x\"}{\"level\":\"ERROR";

        // When
        String echoed = given().header(RequestIdFilter.HEADER, forged).get("/v1/locations")
                .then().statusCode(200).extract().header(RequestIdFilter.HEADER);

        // Then
        assertThat(echoed).isNotEqualTo(forged).matches("[0-9a-f-]{36}");
    }

    @Test
    void logLines_ofConcurrentRequests_carryTheirOwnIds() throws Exception {
        // When: many refused requests with distinct ids, several at a time
        List<String> ids = java.util.stream.IntStream.range(0, 40).mapToObj(i -> "req-" + i).toList();
        dev.stockroom.support.Http.concurrently(8, ids.stream().<java.util.concurrent.Callable<Integer>>map(
                id -> () -> given().noFilters().header(RequestIdFilter.HEADER, id)
                        .header("Authorization", "Bearer " + Tokens.withRoles("auditor"))
                        .get("/v1/locations").statusCode()).toList());

        // Then: each one's refusal was logged under its own id, none under another's or none
        assertThat(loggedIds).containsExactlyInAnyOrderElementsOf(ids);
    }

    private static Logger logger() {
        return LogContext.getLogContext().getLogger(SECURITY_LOG);
    }
}
