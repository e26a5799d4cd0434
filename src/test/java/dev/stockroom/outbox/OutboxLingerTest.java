package dev.stockroom.outbox;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The relay lets the commits right behind the one that woke it join its Kafka transaction: a burst of changes is
 * published in one transaction, not one each. The linger is long here and the idle poll rare, so that the burst
 * (twenty quick commits) surely falls inside the linger, and no poll takes part of it early.
 */
@QuarkusTest
@TestProfile(OutboxLingerTest.LongLinger.class)
class OutboxLingerTest {

    private static final int BURST = 20;

    /** A linger far longer than the burst takes, and an idle poll that never comes during the test. */
    public static class LongLinger implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockroom.outbox.linger", "10s", "stockroom.outbox.poll-interval", "10m");
        }
    }

    @Inject
    Db db;

    @Inject
    MeterRegistry registry;

    @Test
    void relay_burstOfCommits_publishedInOneKafkaTransaction() {
        // Given: a stock level whose first change is published, so the relay is waiting for the next commit
        String location = Api.unique("WH");
        Api.location(location, 1);
        String sku = Api.unique("LINGER");
        Api.stock(sku, location, 1);
        awaitPublished(sku);
        DistributionSummary transactions = registry.find("stockroom.outbox.batch.size").summary();
        long before = transactions.count();
        double eventsBefore = transactions.totalAmount();

        // When: a burst of changes, each committed on its own
        for (int i = 2; i < 2 + BURST; i++) {
            Api.stock(sku, location, i);
        }
        awaitPublished(sku);

        // Then: one Kafka transaction carried every change of the burst
        assertThat(transactions.count() - before).isEqualTo(1);
        assertThat(transactions.totalAmount() - eventsBefore).isEqualTo(BURST);
    }

    private void awaitPublished(String sku) {
        await().atMost(Duration.ofSeconds(60)).until(() -> db.scalar(
                "SELECT count(*) FROM stock_change_outbox WHERE sku = ?", sku) == 0);
    }
}
