package dev.stockroom.platform.security;

import dev.stockroom.support.Tokens;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The service's JWT authentication goes through {@link VerifiedTokens}: a token sent again is not verified again. */
@QuarkusTest
class BearerTokenCacheTest {

    @Inject
    MeterRegistry registry;

    @Test
    void sameTokenTwice_secondIsAnsweredFromTheCache_andAStrangersTokenIsStillRefused() {
        // The cache is made when the first token comes: any authenticated call creates it.
        given().header("Authorization", "Bearer " + Tokens.admin()).get("/v1/ping").then().statusCode(200);
        String token = Tokens.forAccount("acct-cache", "cache-caller", "storefront");
        double hits = gets("hit");
        double misses = gets("miss");

        given().header("Authorization", "Bearer " + token).get("/v1/ping").then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/v1/ping").then().statusCode(200);
        given().header("Authorization", "Bearer " + Tokens.signedByStranger("storefront")).get("/v1/ping").then()
                .statusCode(401);

        assertThat(gets("hit") - hits).isEqualTo(1);
        assertThat(gets("miss") - misses).isEqualTo(2);
    }

    private double gets(String result) {
        return registry.get("cache.gets").tags("cache", "bearer-tokens", "result", result).functionCounter().count();
    }
}
