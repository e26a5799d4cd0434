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
            // Given: another relay claimed SKU a while a's first two rows were the only ones
            try (Statement s = one.createStatement()) {
                s.execute("DELETE FROM stock_change_outbox WHERE id NOT IN (" + a1 + ", " + a2 + ")");
            }
            one.commit();
            assertThat(ids(relay.claim(one))).containsExactly(a1, a2);

            // When: b and c change meanwhile
            long b3 = row(b, 3);
            long c2 = row(c, 2);

            // Then: this relay takes b and c, and not a single row of a
            assertThat(ids(relay.claim(two))).containsExactly(b3, c2);
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

    @Test
    void claim_aLowerIdOfTheSkuCommitsAfterAnotherRelayClaimedIt_takesNoneOfTheSkusRows() throws SQLException {
        try (Connection late = transaction(); Connection one = transaction(); Connection two = transaction()) {
            // Given: only SKU d in the outbox; a writer took an id for d at one location but has not committed,
            // while a later change of d at another location committed with a higher id
            try (Statement s = one.createStatement()) {
                s.execute("DELETE FROM stock_change_outbox");
            }
            one.commit();
            String d = Api.unique("CLAIM-D");
            long lower = row(late, d, "WH-2", 1);
            long higher = row(d, 1);
            assertThat(lower).isLessThan(higher);

            // ... and a relay claimed d, seeing only the higher id
            assertThat(ids(relay.claim(one))).containsExactly(higher);

            // When: the lower id commits while that relay still publishes
            late.commit();

            // Then: another relay takes nothing of d, though its oldest row is now one no relay has locked
            assertThat(ids(relay.claim(two))).isEmpty();
            one.rollback();
            two.rollback();

            // ... and once the first relay is done, d's rows are claimed in id order
            try (Connection three = transaction()) {
                assertThat(ids(relay.claim(three))).containsExactly(lower, higher);
                three.rollback();
            }
        }
    }

    private Connection transaction() throws SQLException {
        Connection connection = dataSource.getConnection();
        connection.setAutoCommit(false);
        return connection;
    }

    private long row(String sku, long version) throws SQLException {
        try (Connection db = dataSource.getConnection()) {
            return row(db, sku, "WH", version);
        }
    }

    /** Inserts an outbox row on the given connection, in its transaction if it has one open. */
    private static long row(Connection db, String sku, String location, long version) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement(
                "INSERT INTO stock_change_outbox (sku, location, on_hand, reserved, committed, safety_stock, version,"
                        + " changed_at) VALUES (?, ?, 1, 0, 0, 0, ?, now()) RETURNING id")) {
            insert.setString(1, sku);
            insert.setString(2, location);
            insert.setLong(3, version);
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
