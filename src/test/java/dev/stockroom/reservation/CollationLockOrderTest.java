package dev.stockroom.reservation;

import dev.stockroom.platform.embedded.FreshDatabase;
import dev.stockroom.platform.security.Roles;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Http;
import dev.stockroom.support.Kafka;
import dev.stockroom.support.TestClock;
import dev.stockroom.support.WideShedding;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.KafkaClientService;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every writer locks stock rows in one order, byte order of (sku, location), even on a database whose default
 * collation sorts otherwise. Managed PostgreSQL services usually create databases with a language's collation
 * ({@code en_US.UTF-8}), under which {@code SHOE-RED-42} sorts after {@code SHOERACK-1} and {@code alpha} before
 * {@code Zeta}; an {@code ORDER BY} that follows it locks in another order than a hold, and the two can deadlock.
 * This test class runs on a database of its own created with such a collation (ICU {@code en-US}, punctuation
 * ignored like glibc's {@code en_US.UTF-8}).
 */
@QuarkusTest
@TestProfile(CollationLockOrderTest.LanguageCollation.class)
class CollationLockOrderTest {

    /** A database whose default collation is American English, and a quick expiry sweeper. */
    public static class LanguageCollation implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FreshDatabase.class,
                    Map.of(FreshDatabase.ICU_LOCALE, "en-US-u-ka-shifted")));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            // Wide shedding: a hold answered 503 here must mean a failed transaction, not a slow machine.
            Map<String, String> overrides = new java.util.HashMap<>(new WideShedding().getConfigOverrides());
            overrides.put("stockroom.reservation.expiry.interval", "100ms");
            return overrides;
        }
    }

    @TestHTTPResource("/v1/reservations")
    URI reservations;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    KafkaClientService clients;

    @Inject
    TestClock clock;

    @Inject
    Db db;

    @ParameterizedTest(name = "{0} before {1}")
    @CsvSource({"SHOE-RED-42, SHOERACK-1", "Zeta, alpha"})
    void warehouseBatch_whileAHoldHasItsFirstRow_leavesTheSecondRowFree(String first, String second)
            throws SQLException {
        // Given: two SKUs of one partition that byte order and this database's collation sort differently
        String location = Api.unique("WH");
        Api.location(location, 1);
        String[] skus = samePartition(first, second);
        String a = skus[0];
        String b = skus[1];
        Api.stock(a, location, 10);
        Api.stock(b, location, 10);
        assertThat(db.rows("SELECT sku FROM stock_level WHERE sku IN (?, ?) ORDER BY sku", a, b))
                .extracting(r -> r.get("sku")).as("the database's own order").containsExactly(b, a);

        try (Connection hold = dataSource.getConnection()) {
            // ... and a transaction that locks them as a two-line hold does, in byte order: a's row first
            hold.setAutoCommit(false);
            lock(hold, a, location, "");

            // When: a warehouse batch touching both arrives in one poll and waits for a's row
            Kafka.sendInOnePoll(clients, "warehouse-stock-events", List.of(received(b, location), received(a,
                    location)));
            await().atMost(Duration.ofSeconds(30)).until(() -> db.scalar("SELECT count(*) FROM pg_stat_activity"
                    + " WHERE datname = current_database() AND application_name = 'stockroom-write'"
                    + " AND wait_event_type = 'Lock'") > 0);

            // Then: the batch holds no lock on b meanwhile (locked first, it would deadlock with the hold's second
            // line), so the hold takes b's row at once
            lock(hold, b, location, " NOWAIT");
            hold.commit();
        }
        // ... and then the batch goes through
        await().atMost(Duration.ofSeconds(30)).until(() -> db.level(a, location)[0] == 11
                && db.level(b, location)[0] == 11);
    }

    @Test
    void holdsWarehouseBatchesAndSweeper_racingOnTwoSkus_noDeadlock() throws Exception {
        // Given: both pairs of SKUs in plenty, on one partition each
        String location = Api.unique("WH");
        Api.location(location, 1);
        List<String[]> pairs = List.of(samePartition("SHOE-RED-42", "SHOERACK-1"), samePartition("Zeta", "alpha"));
        for (String[] pair : pairs) {
            Api.stock(pair[0], location, 1_000_000);
            Api.stock(pair[1], location, 1_000_000);
        }
        long deadlocksBefore = deadlocks();

        // When: two-line holds (in both orders, expiring soon, the clock moving on so the sweeper expires them)
        // race with warehouse events of both SKUs, sent one pair at a time
        List<Callable<Integer>> tasks = new ArrayList<>();
        tasks.add(() -> {
            try (KafkaProducer<String, byte[]> producer = Kafka.producer()) {
                for (int i = 0; i < 300; i++) {
                    for (String[] pair : pairs) {
                        producer.send(received(pair[1], location));
                        producer.send(received(pair[0], location));
                    }
                    producer.flush();
                }
            }
            return 0;
        });
        for (int i = 0; i < 400; i++) {
            String[] pair = pairs.get(i % 2);
            String body = i % 4 < 2 ? hold(pair[0], pair[1], location) : hold(pair[1], pair[0], location);
            boolean tick = i % 20 == 0;
            tasks.add(() -> {
                if (tick) {
                    clock.advance(Duration.ofSeconds(2));
                }
                return Http.as(Roles.STOREFRONT).post(reservations, body, null).statusCode();
            });
        }
        List<Integer> statuses = Http.concurrently(24, tasks);

        // Then: every hold was granted, every event applied once
        assertThat(statuses.subList(1, statuses.size())).allSatisfy(s -> assertThat(s).isEqualTo(201));
        // ... and once every hold has expired, the sweeper has given back every unit
        clock.advance(Duration.ofSeconds(2));
        for (String[] pair : pairs) {
            for (String sku : pair) {
                await().atMost(Duration.ofSeconds(60)).until(() -> db.scalar(
                        "SELECT count(*) FROM stock_movement WHERE sku = ? AND kind = 'RECEIVED'", sku) == 300
                        && db.level(sku, location)[1] == 0);
                assertThat(db.level(sku, location)).containsExactly(1_000_300, 0, 0, 0);
                assertThat(db.ledgerMismatches(sku)).isEmpty();
            }
        }
        assertThat(db.scalar("SELECT count(*) FROM reservation WHERE order_ref = 'race' AND status = 'EXPIRED'"))
                .isEqualTo(400);
        // ... and the database detected no deadlock: a victim's batch is tried again, so the answers alone cannot
        // tell (the server counts it when the victim's session reports its statistics, seconds later at most)
        assertThat(deadlocks()).isEqualTo(deadlocksBefore);
    }

    private long deadlocks() {
        return db.scalar("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
    }

    private static void lock(Connection c, String sku, String location, String mode) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT 1 FROM stock_level WHERE sku = '" + sku + "' AND location = '" + location
                    + "' FOR UPDATE" + mode);
        }
    }

    /** Two new SKUs starting {@code first} and {@code second} that the default partitioner puts in one partition. */
    private static String[] samePartition(String first, String second) {
        int partitions = ConfigProvider.getConfig().getValue("stockroom.embedded-kafka.partitions", Integer.class);
        while (true) {
            String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
            String a = first + suffix;
            String b = second + suffix;
            if (partition(a, partitions) == partition(b, partitions)) {
                return new String[]{a, b};
            }
        }
    }

    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static String hold(String one, String two, String location) {
        return "{\"orderRef\":\"race\",\"ttlSeconds\":1,\"lines\":[{\"sku\":\"" + one
                + "\",\"quantity\":1,\"location\":\""
                + location + "\"},{\"sku\":\"" + two + "\",\"quantity\":1,\"location\":\"" + location + "\"}]}";
    }

    private static ProducerRecord<String, byte[]> received(String sku, String location) {
        return Kafka.binary(UUID.randomUUID().toString(), "stock.received", sku,
                "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":1}");
    }
}
