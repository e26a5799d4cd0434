package dev.stockroom.availability;

import dev.stockroom.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/** The operator's forced invalidation of the whole availability cache. */
@QuarkusTest
class AvailabilityAdminTest {

    @Test
    void invalidate_cachedSkus_nextReadsAreMissesWithTheSameFigures() {
        // Given: two SKUs cached (the second read of each is a hit)
        String location = Api.unique("WH");
        String first = Api.unique("INV");
        String second = Api.unique("INV");
        Api.location(location, 1);
        Api.stock(first, location, 7);
        Api.stock(second, location, 9);
        for (String sku : new String[]{first, second}) {
            given().get("/v1/stock/{sku}", sku).then().statusCode(200);
            given().get("/v1/stock/{sku}", sku).then().statusCode(200).header("Cache-Status", "stockroom; hit");
        }

        // When
        given().post("/v1/admin/availability/invalidate").then().statusCode(204);

        // Then: each is loaded again, with unchanged figures, and cached again
        for (String sku : new String[]{first, second}) {
            var response = given().get("/v1/stock/{sku}", sku).then().statusCode(200)
                    .header("Cache-Status", "stockroom; fwd=miss; stored").extract();
            assertThat(response.jsonPath().getInt("available")).isEqualTo(sku.equals(first) ? 7 : 9);
            given().get("/v1/stock/{sku}", sku).then().statusCode(200).header("Cache-Status", "stockroom; hit");
        }
    }
}
