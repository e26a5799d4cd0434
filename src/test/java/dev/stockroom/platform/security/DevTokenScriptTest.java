package dev.stockroom.platform.security;

import dev.stockroom.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The README's way to mint a dev token, {@code bin/dev-token}, gives tokens the service accepts with their roles. */
@QuarkusTest
class DevTokenScriptTest {

    @Test
    void devToken_storefront_readsAndHoldsButCannotCorrectStock() throws Exception {
        // Given
        String location = Api.unique("WH");
        String sku = Api.unique("DEV");
        Api.location(location, 1);
        Api.stock(sku, location, 3);
        String bearer = "Bearer " + mint("storefront");

        // When / Then
        given().header("Authorization", bearer).get("/v1/stock/{sku}", sku).then().statusCode(200);
        given().header("Authorization", bearer).contentType(ContentType.JSON)
                .body(Api.hold("o-dev", List.of(Api.line(sku, 1, location)))).post("/v1/reservations")
                .then().statusCode(201);
        given().header("Authorization", bearer).contentType(ContentType.JSON).body(Map.of("onHand", 0))
                .put("/v1/stock/{sku}/locations/{location}", sku, location).then().statusCode(403);
    }

    private static String mint(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bin/dev-token"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return out;
    }
}
