package dev.stockroom.history;

import dev.stockroom.platform.ConcurrentIndexMigrations;
import dev.stockroom.platform.Sql;
import dev.stockroom.platform.embedded.EmbeddedDatabases;
import io.quarkus.test.junit.QuarkusTest;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The monthly losses (V11) and the total losses per SKU (V13) on a database of their own: the migrations fill them
 * from the daily rollup they find, and from then on every daily row the rollup inserts or adds to reaches its month
 * and its SKU's total, whichever version of the service rolls up.
 */
@QuarkusTest
class MonthlyLossesTest {

    private static final String DATABASE = "monthly_losses_test";
    /** A daily row the way the rollup writes it: inserted, or added to when it exists. */
    private static final String ROLL_UP = "INSERT INTO stock_movement_daily_sku AS d (sku, day, kind, movements,"
            + " on_hand_up, on_hand_down, reserved_up, reserved_down, committed_up, committed_down)"
            + " VALUES (?, ?, ?, 1, 0, ?, 0, 0, 0, 0) ON CONFLICT (sku, day, kind) DO UPDATE SET"
            + " movements = d.movements + 1, on_hand_down = d.on_hand_down + EXCLUDED.on_hand_down RETURNING 1";
    /** The monthly losses, and what the daily rollup sums to by month; the test compares the two. */
    private static final String MONTHLY = "SELECT sku || ' ' || month || ' ' || kind || ' ' || lost"
            + " FROM stock_movement_monthly_loss ORDER BY 1";
    private static final String DAILY_BY_MONTH = "SELECT sku || ' ' || date_trunc('month', day)::date || ' ' || kind"
            + " || ' ' || sum(on_hand_down) FROM stock_movement_daily_sku WHERE kind IN ('ADJUSTED', 'COUNTED',"
            + " 'CORRECTION') AND on_hand_down > 0 GROUP BY sku, date_trunc('month', day), kind ORDER BY 1";

    /** The total losses per SKU (V13), and what the monthly losses sum to by SKU. */
    private static final String TOTALS = "SELECT sku || ' ' || lost FROM stock_movement_loss_total ORDER BY 1";
    private static final String MONTHLY_BY_SKU = "SELECT sku || ' ' || sum(lost) FROM stock_movement_monthly_loss"
            + " GROUP BY sku ORDER BY 1";

    @AfterEach
    void dropDatabase() throws SQLException {
        EmbeddedDatabases.drop(DATABASE);
    }

    @Test
    void migrate_dailyLossesRolledUpBeforeAndAfter_monthlyLossesEqualTheDailyRowsByMonthAndTotalsTheirSums()
            throws SQLException {
        // Given: a database at V10 whose rollup has losses on two days of one month and one of the next, a found
        // unit (no loss), and a sale (not a loss kind)
        String url = EmbeddedDatabases.create(DATABASE);
        migrate(url, "10");
        try (Connection c = DriverManager.getConnection(url, EmbeddedDatabases.user(), EmbeddedDatabases.password())) {
            rollUp(c, "SKU-A", "2026-01-03", "ADJUSTED", 2);
            rollUp(c, "SKU-A", "2026-01-20", "ADJUSTED", 3);
            rollUp(c, "SKU-A", "2026-02-01", "COUNTED", 1);
            rollUp(c, "SKU-B", "2026-01-05", "ADJUSTED", 0);
            rollUp(c, "SKU-B", "2026-01-05", "SHIPPED", 7);

            // When: V11 runs
            migrate(url, "latest");

            // Then: the months hold the losses rolled up before it
            assertThat(Sql.query(c, MONTHLY, rs -> rs.getString(1)))
                    .containsExactly("SKU-A 2026-01-01 ADJUSTED 5", "SKU-A 2026-02-01 COUNTED 1");
            assertThat(Sql.query(c, TOTALS, rs -> rs.getString(1))).containsExactly("SKU-A 6");

            // When: the rollup adds to an existing day, adds a day, and a new kind of loss
            rollUp(c, "SKU-A", "2026-01-20", "ADJUSTED", 4);
            rollUp(c, "SKU-A", "2026-01-31", "CORRECTION", 6);
            rollUp(c, "SKU-B", "2026-01-05", "ADJUSTED", 1);
            rollUp(c, "SKU-B", "2026-01-05", "SHIPPED", 2);

            // Then: every month equals its days
            List<String> monthly = Sql.query(c, MONTHLY, rs -> rs.getString(1));
            assertThat(monthly).containsExactly("SKU-A 2026-01-01 ADJUSTED 9", "SKU-A 2026-01-01 CORRECTION 6",
                    "SKU-A 2026-02-01 COUNTED 1", "SKU-B 2026-01-01 ADJUSTED 1");
            assertThat(monthly).isEqualTo(Sql.query(c, DAILY_BY_MONTH, rs -> rs.getString(1)));
            assertThat(Sql.query(c, TOTALS, rs -> rs.getString(1))).containsExactly("SKU-A 16", "SKU-B 1")
                    .isEqualTo(Sql.query(c, MONTHLY_BY_SKU, rs -> rs.getString(1)));
        }
    }

    private static void rollUp(Connection c, String sku, String day, String kind, long down) throws SQLException {
        Sql.query(c, ROLL_UP, rs -> 1, sku, LocalDate.parse(day), kind, down);
    }

    private static void migrate(String url, String target) {
        // The service's own Flyway settings: later migrations build indexes CONCURRENTLY.
        FluentConfiguration config = Flyway.configure().dataSource(url, EmbeddedDatabases.user(),
                EmbeddedDatabases.password()).locations("classpath:db/migration").target(target);
        new ConcurrentIndexMigrations().customize(config);
        config.load().migrate();
    }
}
