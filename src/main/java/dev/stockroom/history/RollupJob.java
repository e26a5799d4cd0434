package dev.stockroom.history;

import dev.stockroom.platform.Sql;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Maintains the daily rollup in the background, never in a writing transaction: every run takes {@link Rollup}
 * steps until it has caught up (or has taken {@code max-steps-per-run}). Its lag,
 * {@code stockroom_history_rollup_lag_seconds}, is how long ago the rollup was last caught up; while it lags,
 * reports stay exact but read more ledger rows.
 */
@ApplicationScoped
class RollupJob {

    private static final Logger LOG = Logger.getLogger(RollupJob.class);

    private final AgroalDataSource dataSource;
    private final Watermark watermark;
    private final HistoryConfig config;
    private final Clock clock;
    private final Counter rolledUp;
    private final AtomicReference<Instant> caughtUpAt;

    RollupJob(AgroalDataSource dataSource, Watermark watermark, HistoryConfig config, Clock clock,
              MeterRegistry registry) {
        this.dataSource = dataSource;
        this.watermark = watermark;
        this.config = config;
        this.clock = clock;
        this.caughtUpAt = new AtomicReference<>(clock.instant());
        this.rolledUp = Counter.builder("stockroom.history.rollup.rows")
                .description("Ledger rows added to the daily rollup").register(registry);
        if (config.jobs()) {
            // Only where the job runs: elsewhere nothing would move it.
            Gauge.builder("stockroom.history.rollup.lag", this, RollupJob::lagSeconds).baseUnit("seconds")
                    .description("Time since the daily rollup last included every committed ledger row")
                    .register(registry);
        }
    }

    @Scheduled(every = "${stockroom.history.rollup.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        if (!config.jobs()) {
            return;
        }
        try {
            catchUp();
        } catch (SQLException e) {
            LOG.warnf("Rollup: %s; trying again on the next run", e.getMessage());
        }
    }

    /** Takes steps until caught up, busy elsewhere, or out of steps for this run; returns the rows rolled up. */
    long catchUp() throws SQLException {
        long rows = 0;
        try (Connection c = dataSource.getConnection()) {
            for (int steps = 0; steps < config.rollup().maxStepsPerRun(); steps++) {
                Rollup.Step step = Rollup.step(c, config.rollup().maxRowsPerStep(), config.jobStatementTimeout());
                rows += step.rows();
                rolledUp.increment(step.rows());
                if (step.outcome() != Rollup.Outcome.MORE) {
                    break;
                }
            }
            Sql.query(c, "SELECT rolled_below::text, caught_up_at FROM stock_movement_rollup_watermark", rs -> {
                watermark.saw(rs.getString(1));
                caughtUpAt.set(Sql.instant(rs, "caught_up_at"));
                return null;
            });
        }
        return rows;
    }

    private double lagSeconds() {
        return Math.max(0, Duration.between(caughtUpAt.get(), clock.instant()).toMillis() / 1000.0);
    }
}
