package dev.stockroom.warehouse;

import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import dev.stockroom.support.Kafka;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * During a rollout, and after a rollback, the previous version of the service consumes warehouse events beside this
 * one, in the same consumer group, against the migrated schema. Its statements, copied here as it runs them, must
 * still work, and neither version may apply an event the other already applied.
 */
@QuarkusTest
class PreviousVersionCompatibilityTest {

    /** How the previous version claims event ids (keyed by id alone). */
    private static final String PREVIOUS_CLAIM = "INSERT INTO applied_event (event_id, outcome)"
            + " SELECT unnest(?::varchar[]), 'APPLIED' ON CONFLICT (event_id) DO NOTHING RETURNING event_id";
    /** How the previous version records rejections. */
    private static final String PREVIOUS_REJECT =
            "UPDATE applied_event SET outcome = 'REJECTED' WHERE event_id = ANY(?)";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Db db;

    @Test
    void previousVersion_claimsAndRejectsOnTheNewSchema() throws SQLException {
        String fresh = "prev-" + UUID.randomUUID();
        String rejected = "prev-" + UUID.randomUUID();

        assertThat(previousClaim(fresh, rejected)).containsExactlyInAnyOrder(fresh, rejected);
        previousReject(rejected);

        assertThat(previousClaim(fresh, rejected)).isEmpty();
        assertThat(db.rows("SELECT event_id, outcome, source FROM applied_event WHERE event_id IN (?, ?)"
                + " ORDER BY outcome", fresh, rejected)).extracting(r -> r.get("outcome") + " " + r.get("source"))
                .containsExactly("APPLIED null", "REJECTED null");
    }

    @Test
    void eventAppliedByThisVersion_isADuplicateForThePreviousVersion() throws SQLException {
        // Given: this version applied an event
        String location = location();
        String sku = Api.unique("COMPAT");
        String id = "wms-" + UUID.randomUUID();
        Kafka.send(List.of(received(id, sku, location, 4)));
        await().atMost(Duration.ofSeconds(30)).until(() -> db.scalar(
                "SELECT count(*) FROM stock_level WHERE sku = ? AND location = ? AND on_hand = 4", sku, location) == 1);

        // When / Then: the previous version, handed the same event, finds its id taken
        assertThat(previousClaim(id)).isEmpty();
    }

    @Test
    void eventAppliedByThePreviousVersion_isADuplicateForThisVersion() {
        // Given: the previous version applied an event (it recorded the id without a source)
        String location = location();
        String sku = Api.unique("COMPAT");
        String id = "wms-" + UUID.randomUUID();
        try {
            assertThat(previousClaim(id)).containsExactly(id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }

        // When: the same event is delivered to this version, followed by another one of the SKU
        Kafka.send(List.of(received(id, sku, location, 4), received("wms-" + UUID.randomUUID(), sku, location, 1)));

        // Then: the second is applied and the first is recognised as a duplicate
        await().atMost(Duration.ofSeconds(30)).until(() -> db.scalar(
                "SELECT count(*) FROM stock_movement WHERE sku = ?", sku) == 1);
        assertThat(db.level(sku, location)[0]).isEqualTo(1);
        assertThat(db.scalar("SELECT count(*) FROM stock_movement WHERE event_id = ?", id)).isZero();
    }

    private List<String> previousClaim(String... ids) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(PREVIOUS_CLAIM)) {
            s.setArray(1, c.createArrayOf("varchar", ids));
            List<String> claimed = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getString(1));
                }
            }
            return claimed;
        }
    }

    private void previousReject(String... ids) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(PREVIOUS_REJECT)) {
            Array array = c.createArrayOf("varchar", ids);
            s.setArray(1, array);
            s.executeUpdate();
        }
    }

    private static String location() {
        String location = Api.unique("WH");
        Api.location(location, 1);
        return location;
    }

    private static ProducerRecord<String, byte[]> received(String id, String sku, String location, int quantity) {
        return Kafka.binary(id, "stock.received", sku,
                "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":" + quantity + "}");
    }
}
