package dev.stockroom.outbox;

import dev.stockroom.support.Api;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one relay claims while another holds some SKUs, on the real database: several replicas each run a relay.
 * The relays' own thread is off here, and a batch is 4 rows, so the test decides who claims what and when.
 */
@QuarkusTest
@TestProfile(OutboxClaimTest.ManualRelay.class)
class OutboxClaimTest {

    public static class ManualRelay implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stockroom.outbox.enabled", "false", "stockroom.outbox.batch-size", "4");
        }
    }

    @Inject
    OutboxRelay relay;

    @Inject
    AgroalDataSource dataSource;

    private final String a = Api.unique("CLAIM-A");
    private final String b = Api.unique("CLAIM-B");
    private final String c = Api.unique("CLAIM-C");
    private long a1;
    private long b1;
    private long a2;
    private long c1;
    private long b2;
    private long a3;

    @BeforeEach
    void outboxOfThreeSkus() throws SQLException {
        try (Connection db = dataSource.getConnection(); Statement s = db.createStatement()) {
            s.execute("DELETE FROM stock_change_outbox");
        }
        a1 = row(a, 1);
        b1 = row(b, 1);
        a2 = row(a, 2);
        c1 = row(c, 1);
        b2 = row(b, 2);
        a3 = row(a, 3);
    }

    @Test
    void claim_noOtherRelay_takesTheOldestBatchEachSkuInIdOrder() throws SQLException {
        try (Connection one = transaction()) {
            assertThat(ids(relay.claim(one))).containsExactly(a1, b1, a2, c1);
            one.rollback();
        }
    }

    @Test
    void claim_anotherRelayHoldsASku_takesTheOthersAndNoneOfItsRows() throws SQLException {
        try (Connection one = transaction(); Connection two = transaction()) {
            // Given: another relay holds SKU a (its head row locked)
            try (Statement s = one.createStatement()) {
                s.execute("SELECT 1 FROM stock_change_outbox WHERE id = " + a1 + " FOR UPDATE");
            }

            // When / Then: this relay takes b and c, not a single row of a
            assertThat(ids(relay.claim(two))).containsExactly(b1, c1);
            one.rollback();
            two.rollback();
        }
    }

    @Test
    void claim_afterABatchIsPublished_takesEachSkusNextRowsInOrder() throws SQLException {
        // Given: the first batch claimed and deleted, as a relay does once the broker has it
        try (Connection one = transaction()) {
            List<Long> first = ids(relay.claim(one));
            try (PreparedStatement delete = one.prepareStatement("DELETE FROM stock_change_outbox WHERE id = ANY(?)")) {
                delete.setArray(1, one.createArrayOf("bigint", first.toArray()));
                delete.executeUpdate();
            }
            one.commit();
        }

        // When / Then: the rest, still oldest first
        try (Connection two = transaction()) {
            assertThat(ids(relay.claim(two))).containsExactly(b2, a3);
            two.rollback();
        }
    }

    private Connection transaction() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    private long row(String sku, long version) throws SQLException {
        try (Connection db = dataSource.getConnection(); PreparedStatement insert = db.prepareStatement(
                "INSERT INTO stock_change_outbox (sku, location, on_hand, reserved, committed, safety_stock, version,"
                        + " changed_at) VALUES (?, 'WH', 1, 0, 0, 0, ?, now()) RETURNING id")) {
            insert.setString(1, sku);
            insert.setLong(2, version);
            try (ResultSet rs = insert.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<Long> ids(List<OutboxRelay.Row> rows) {
        return rows.stream().map(OutboxRelay.Row::id).toList();
    }
}
