package dev.stockroom.platform;

import dev.stockroom.platform.embedded.FreshDatabase;
import dev.stockroom.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migrations run under limits of their own, not the write pool's few seconds, and the pool keeps its limits after
 * them. A fixture migration, run on a database of this test's own, records the settings it ran with.
 */
@QuarkusTest
@TestProfile(MigrationSettingsTest.WithProbe.class)
class MigrationSettingsTest {

    /** A fresh database, migrated with the service's migrations and the recording fixture. */
    public static class WithProbe implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(FreshDatabase.class));
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.flyway.locations", "db/migration,db/migration-settings-probe",
                    "stockroom.migration.statement-timeout", "17m",
                    "stockroom.migration.lock-timeout", "7s");
        }
    }

    @Inject
    Db db;

    @Test
    void migrate_atStart_runsWithTheMigrationLimitsNotThePools() {
        Map<String, Object> recorded = new HashMap<>();
        db.rows("SELECT name, setting FROM migration_settings_probe").forEach(r -> recorded.put(
                (String) r.get("name"), r.get("setting")));

        assertThat(recorded).containsEntry("statement_timeout", String.valueOf(17 * 60 * 1000))
                .containsEntry("lock_timeout", "7000")
                .containsEntry("application_name", "stockroom-migration");
    }

    @Test
    void writePool_afterMigrating_keepsItsOwnLimits() {
        assertThat(db.rows("SELECT name, setting FROM pg_settings WHERE name IN ('statement_timeout', 'lock_timeout')"
                + " ORDER BY name")).extracting(r -> r.get("name") + "=" + r.get("setting"))
                .containsExactly("lock_timeout=3000", "statement_timeout=5000");
    }
}
