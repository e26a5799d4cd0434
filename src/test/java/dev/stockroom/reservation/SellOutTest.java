package dev.stockroom.reservation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Storefront;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flash sale through the combining engine: far more holds than stock, arriving concurrently over HTTP, some of
 * them multi-line and some sent twice with one key. Every unit is held once and not one more.
 */
@QuarkusTest
class SellOutTest {

    private static final int SKUS = 5;
    private static final int UNITS_PER_SKU = 2_000;
    private static final int HOLDS = 50_000;
    private static final int IN_FLIGHT = 256;

    @TestHTTPResource("/v1/reservations")
    URI reservations;

    @Inject
    Db db;

    @Inject
    ObjectMapper json;

    @Test
    void reserve_fiftyThousandRacingForTenThousandUnits_sellsOutExactly() throws Exception {
        // Given: 10,000 units over 5 SKUs at one location
        String location = Api.unique("WH");
        Api.location(location, 1);
        String prefix = Api.unique("SALE");
        List<String> skus = new ArrayList<>();
        for (int i = 0; i < SKUS; i++) {
            skus.add(prefix + "-" + i);
            Api.stock(skus.get(i), location, UNITS_PER_SKU);
        }
        // 1-3 units a line, one hold in five has two lines, one in ten is sent again under the same key
        Random random = new Random(7);
        List<Storefront.Hold> holds = new ArrayList<>();
        for (int i = 0; i < HOLDS; i++) {
            int first = random.nextInt(SKUS);
            StringBuilder lines = new StringBuilder(line(skus.get(first), 1 + random.nextInt(3)));
            if (random.nextInt(5) == 0) {
                lines.append(',').append(line(skus.get((first + 1 + random.nextInt(SKUS - 1)) % SKUS),
                        1 + random.nextInt(3)));
            }
            String key = "sale-" + prefix + "-" + i;
            Storefront.Hold hold = new Storefront.Hold("{\"orderRef\":\"o-" + i + "\",\"lines\":[" + lines + "]}", key);
            holds.add(hold);
            if (random.nextInt(10) == 0) {
                holds.add(random.nextInt(holds.size()), hold);
            }
        }

        // When
        List<Storefront.Answer> answers = Storefront.hold(reservations, holds, IN_FLIGHT);

        // Then: nothing but granted and refused holds
        assertThat(answers).extracting(Storefront.Answer::status).containsOnly(201, 409);
        Map<String, String> reservationOfKey = new HashMap<>();
        long unitsGranted = 0;
        for (int i = 0; i < holds.size(); i++) {
            if (answers.get(i).status() != 201) {
                continue;
            }
            JsonNode reservation = json.readTree(answers.get(i).body());
            String id = reservation.get("id").asText();
            String earlier = reservationOfKey.putIfAbsent(holds.get(i).idempotencyKey(), id);
            if (earlier == null) {
                for (JsonNode line : reservation.get("lines")) {
                    unitsGranted += line.get("quantity").asInt();
                }
            } else {
                assertThat(id).as("every repeat of a key gets the same reservation").isEqualTo(earlier);
            }
        }
        // every unit held once, and the database says what the answers said
        assertThat(unitsGranted).isEqualTo(SKUS * UNITS_PER_SKU);
        assertThat(db.scalar("SELECT sum(reserved) FROM stock_level WHERE sku LIKE ?", prefix + "%"))
                .isEqualTo(unitsGranted);
        assertThat(db.scalar("SELECT count(*) FROM stock_level WHERE sku LIKE ? AND reserved <> on_hand",
                prefix + "%")).isZero();
        assertThat(db.scalar("SELECT count(*) FROM reservation r WHERE r.order_ref LIKE 'o-%' AND r.idempotency_key"
                + " LIKE ?", "sale-" + prefix + "%")).isEqualTo(reservationOfKey.size());
        assertThat(db.scalar("SELECT coalesce(sum(l.quantity), 0) FROM reservation_line l WHERE l.sku LIKE ?",
                prefix + "%")).isEqualTo(unitsGranted);
        assertThat(db.ledgerMismatches(prefix)).isEmpty();
    }

    private static String line(String sku, int quantity) {
        return "{\"sku\":\"" + sku + "\",\"quantity\":" + quantity + "}";
    }
}
