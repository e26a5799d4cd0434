package dev.stockroom.history;

import dev.stockroom.platform.embedded.EmbeddedDatabases;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.flywaydb.core.Flyway;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

/**
 * A database of its own, as production had it before the partitioned ledger: migrated up to V4, with an unpartitioned
 * ledger of {@link #ROWS} generated rows (and the stock levels they replay to). The service starts on it without
 * migrating; the test runs the migration itself, while holds run.
 */
public class LegacyLedger implements QuarkusTestResourceLifecycleManager {

    /** Rows of the old ledger; {@code -Dhistory.move-test.rows} changes it. */
    static final long ROWS = Long.getLong("history.move-test.rows", 1_000_000);
    static final String PREFIX = "LEG-";
    static final SyntheticLedger.Shape SHAPE = GeneratedLedgers.shape(ROWS, (int) Math.min(5_000, ROWS / 200 + 20), 40,
            PREFIX);

    private static final String DATABASE = "ledger_move_test";

    @Override
    public Map<String, String> start() {
        try {
            String url = EmbeddedDatabases.create(DATABASE);
            Flyway.configure().dataSource(url, EmbeddedDatabases.user(), EmbeddedDatabases.password())
                    .locations("classpath:db/migration").target("4").load().migrate();
            try (Connection c = DriverManager.getConnection(url, EmbeddedDatabases.user(), EmbeddedDatabases
                    .password())) {
                SyntheticLedger ledger = new SyntheticLedger(SHAPE);
                new LedgerLoader(c, new PrintStream(System.out)).load(ledger, SHAPE.rows(), ledger.locations(),
                        new LedgerLoader.Options(true, false));
            }
            return Map.of("quarkus.datasource.jdbc.url", url,
                    // The test deploys the new schema itself, while holds run, as a rollout would.
                    "quarkus.flyway.migrate-at-start", "false",
                    // The test drives the move, the rollup and the partitions step by step.
                    "stockroom.history.jobs", "false");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        try {
            EmbeddedDatabases.drop(DATABASE);
        } catch (SQLException e) {
            System.err.println("Could not drop " + DATABASE + ": " + e.getMessage());
        }
    }
}
