package dev.stockroom.history;

import dev.stockroom.platform.Sql;
import dev.stockroom.support.Api;
import dev.stockroom.support.Db;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Partitions ahead of the writers, and retention that detaches old months for archiving without dropping them. */
@QuarkusTest
class RetentionTest {

    @Inject
    PartitionJob partitions;

    @Inject
    RollupJob rollup;

    @Inject
    HistoryService history;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MeterRegistry registry;

    @Inject
    Db db;

    @TestHTTPResource(value = "metrics", management = true)
    URL metrics;

    @Test
    void retain_monthsBeforeTheRetention_areDetachedListedAndCountedButNotDropped() throws SQLException {
        // Given: rows in the months 24, 25, 26 and 30 before the current one; the retention keeps 25 whole months
        String sku = Api.unique("RET");
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        for (int back : List.of(24, 25, 26, 30)) {
            LocalDate day = current.minusMonths(back).atDay(10);
            try (Connection c = dataSource.getConnection()) {
                Sql.query(c, "SELECT stock_movement_ensure_partition(?)", rs -> null, day);
                for (int i = 0; i < 3; i++) {
                    Sql.update(c, "INSERT INTO stock_movement (sku, location, kind, on_hand_delta, occurred_at)"
                            + " VALUES (?, 'RET-WH', 'RECEIVED', ?, ?)", sku, back, day.atTime(9, i).atOffset(
                                    ZoneOffset.UTC));
                }
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            rollup.catchUp();
            return db.scalar("SELECT count(*) FROM stock_movement WHERE sku = ? AND xact_id >= (SELECT rolled_below"
                    + " FROM stock_movement_rollup_watermark)", sku) == 0;
        });
        double detachedBefore = detachedCount();

        // When
        List<PartitionJob.Detached> detached = partitions.retain();

        // Then: the two months older than the retention left the ledger, the two within it stayed
        String m24 = name(current.minusMonths(24));
        String m25 = name(current.minusMonths(25));
        String m26 = name(current.minusMonths(26));
        String m30 = name(current.minusMonths(30));
        assertThat(detached).extracting(PartitionJob.Detached::name).contains(m26, m30).doesNotContain(m24, m25);
        assertThat(attached()).contains(m24, m25).doesNotContain(m26, m30);
        // ... as tables of their own, rows intact, listed for archiving and counted
        assertThat(db.scalar("SELECT count(*) FROM " + m26)).isEqualTo(3);
        assertThat(db.scalar("SELECT count(*) FROM " + m30)).isEqualTo(3);
        assertThat(db.rows("SELECT name, row_count FROM stock_movement_archive WHERE name IN (?, ?)", m30, m26))
                .containsExactlyInAnyOrder(Map.of("name", m26, "row_count", 3L), Map.of("name", m30, "row_count", 3L));
        assertThat(detachedCount() - detachedBefore).isEqualTo(detached.size());
        // ... no longer read by the history, still in the rollup's daily figures
        LocalDate first = current.minusMonths(26).atDay(1);
        assertThat(history.movements(sku, null, null, first.atStartOfDay(ZoneOffset.UTC).toInstant(),
                first.plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant(), 50, null).items()).isEmpty();
        assertThat(history.stockFlow(new FlowScope.Sku(sku), first, first.plusMonths(1), Granularity.MONTH)
                .periods().get(0).received()).isEqualTo(3 * 26);
        // ... and a write into a detached month is refused rather than quietly given a new partition
        assertThatThrownBy(() -> {
            try (Connection c = dataSource.getConnection()) {
                Sql.query(c, "SELECT stock_movement_ensure_partition(?)", rs -> null, first);
            }
        }).hasMessageContaining("detached for archiving");
        assertThat(metric("stockroom_history_partitions_awaiting_archive")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void ensureAhead_createsThisMonthAndTheMonthsAhead_andReportsTheHorizon() throws SQLException {
        // When
        partitions.ensureAhead();

        // Then
        YearMonth current = YearMonth.now(ZoneOffset.UTC);
        assertThat(attached()).contains(name(current), name(current.plusMonths(1)), name(current.plusMonths(2)),
                name(current.plusMonths(3)));
        assertThat(metric("stockroom_history_partitions_horizon_days")).isGreaterThan(3 * 28);
    }

    private List<String> attached() {
        return db.rows("SELECT name FROM stock_movement_partitions()").stream().map(r -> (String) r.get("name"))
                .toList();
    }

    private static String name(YearMonth month) {
        return "stock_movement_p" + month.getYear() + "_" + String.format("%02d", month.getMonthValue());
    }

    private double detachedCount() {
        return registry.get("stockroom.history.partitions.detached").counter().count();
    }

    private double metric(String name) {
        String scrape = given().noFilters().get(metrics).then().statusCode(200).extract().asString();
        return scrape.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElseThrow();
    }
}
