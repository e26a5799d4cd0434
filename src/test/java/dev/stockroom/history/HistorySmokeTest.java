package dev.stockroom.history;

import dev.stockroom.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static io.restassured.RestAssured.given;

@QuarkusTest
class HistorySmokeTest {

    @Test
    void smoke() {
        String location = Api.unique("WH");
        String sku = Api.unique("HIST");
        Api.location(location, 1);
        Api.stock(sku, location, 100);
        Api.reserveOk(Api.hold("o", List.of(Api.line(sku, 2, location))));
        System.out.println(given().get("/v1/stock/{sku}/movements", sku).then().extract().asString());
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        System.out.println(given().queryParam("sku", sku).queryParam("from", today.minusDays(3).toString())
                .queryParam("to", today.plusDays(1).toString()).get("/v1/reports/stock-flow").then().extract().asString());
        System.out.println(given().queryParam("from", today.minusDays(3).toString())
                .queryParam("to", today.plusDays(1).toString()).get("/v1/reports/shrinkage").then().extract().asString());
        System.out.println(given().queryParam("from", today.minusDays(3).toString())
                .queryParam("to", today.plusDays(500).toString()).get("/v1/reports/shrinkage").then().extract().asString());
    }
}
