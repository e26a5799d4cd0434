package dev.stockroom.platform;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service's own Flyway runs a migration in the form the lint asks for an index on a live table: timeouts set,
 * {@code CREATE INDEX CONCURRENTLY}, timeouts reset. With Flyway's defaults it refuses the file (mixed statements) or
 * waits on its own lock until the lock timeout; either way the service would not start.
 */
@QuarkusTest
@TestProfile(ConcurrentIndexMigrationsTest.WithConcurrentIndexMigration.class)
class ConcurrentIndexMigrationsTest {

    /** The production migrations plus one that builds an index concurrently. */
    public static class WithConcurrentIndexMigration implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.flyway.locations", "db/migration,migration-fixtures/flyway-concurrent");
        }
    }

    @Inject
    DataSource dataSource;

    @Test
    void migrate_concurrentIndexMigration_buildsAValidIndex() throws SQLException {
        // Given the service started, so Flyway ran V9100 at start
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // Then the index exists and is valid (a concurrent build that failed leaves an invalid one)
            try (ResultSet rs = s.executeQuery("SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = "
                    + "i.indexrelid WHERE c.relname = 'reservation_order_ref_test'")) {
                assertThat(rs.next()).as("index built").isTrue();
                assertThat(rs.getBoolean(1)).as("index valid").isTrue();
            }
            try (ResultSet rs = s.executeQuery("SELECT success FROM flyway_schema_history WHERE version = '9100'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).isTrue();
            }
            // The test database is shared with the other tests: take the index away again (its history row stays,
            // a migration the other tests' builds do not know, which Flyway tolerates as a future one).
            s.execute("DROP INDEX reservation_order_ref_test");
        }
    }
}
