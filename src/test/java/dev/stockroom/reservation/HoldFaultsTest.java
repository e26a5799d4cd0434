package dev.stockroom.reservation;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockroom.platform.embedded.TransactionCutter;
import dev.stockroom.platform.embedded.TransactionCutter.Cut;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Storefront;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The database link of a batch breaks in the middle of its transaction, as its COMMIT is sent, or just after the
 * COMMIT arrived (so it committed and the answer was lost). Every caller gets its hold, present exactly once, or a
 * 503 and no hold; and a retry under the same key answers the same.
 */
@QuarkusTest
@TestProfile(HoldFaultsTest.BehindCutter.class)
class HoldFaultsTest {

    /** The write pool reaches PostgreSQL through the cutter; nothing else commits on it by itself meanwhile. */
    public static class BehindCutter implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TransactionCutter.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockroom.reservation.expiry.interval", "1h", "stockroom.outbox.enabled", "false");
        }
    }

    private static final int HOLDS = 20;

    @TestHTTPResource("/v1/reservations")
    URI reservations;

    @Inject
    Db db;

    @Inject
    ObjectMapper json;

    @ParameterizedTest
    @EnumSource(Cut.class)
    void reserve_linkCutDuringTheBatch_eachCallerGetsItsHoldOnceOr503AndNoHold(Cut cut) throws Exception {
        // Given: 20 keyed holds of one unit each on a SKU with 100 units, the first batch's link to be cut
        String location = Api.unique("WH");
        String sku = Api.unique("CUT");
        Api.location(location, 1);
        Api.stock(sku, location, 100);
        String marker = Api.unique("cut-" + cut.name().toLowerCase());
        List<Storefront.Hold> holds = new ArrayList<>();
        for (int i = 0; i < HOLDS; i++) {
            holds.add(new Storefront.Hold("{\"orderRef\":\"" + marker + "\",\"lines\":[{\"sku\":\"" + sku
                    + "\",\"quantity\":1}]}", marker + "-" + i));
        }
        CompletableFuture<Void> fired = TransactionCutter.arm(cut, marker);

        // When
        List<Storefront.Answer> answers = Storefront.hold(reservations, holds, HOLDS);

        // Then: the link was cut, and each caller holds exactly once what it was told it holds
        await().atMost(Duration.ofSeconds(10)).until(fired::isDone);
        assertThat(answers).extracting(Storefront.Answer::status).allMatch(s -> s == 201 || s == 503);
        List<String> granted = new ArrayList<>();
        for (int i = 0; i < HOLDS; i++) {
            long present = db.scalar("SELECT count(*) FROM reservation WHERE idempotency_key = ?",
                    holds.get(i).idempotencyKey());
            if (answers.get(i).status() == 201) {
                assertThat(present).isEqualTo(1);
                granted.add(json.readTree(answers.get(i).body()).get("id").asText());
            } else {
                assertThat(present).isZero();
            }
        }
        assertThat(db.level(sku, location)[1]).isEqualTo(granted.size());
        assertThat(db.ledgerMismatches(sku)).isEmpty();

        // And a retry of every key answers consistently: the same reservation where there was one
        List<Storefront.Answer> retries = Storefront.hold(reservations, holds, HOLDS);
        for (int i = 0; i < HOLDS; i++) {
            assertThat(retries.get(i).status()).isEqualTo(201);
            if (answers.get(i).status() == 201) {
                assertThat(json.readTree(retries.get(i).body()).get("id").asText())
                        .isEqualTo(json.readTree(answers.get(i).body()).get("id").asText());
            }
        }
        assertThat(db.scalar("SELECT count(*) FROM reservation WHERE order_ref = ?", marker)).isEqualTo(HOLDS);
        assertThat(db.level(sku, location)[1]).isEqualTo(HOLDS);
    }
}
