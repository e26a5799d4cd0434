package dev.stockroom.history;

import dev.stockroom.platform.Sql;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps monthly partitions of the ledger ahead of the writers, and detaches those older than the retention for
 * archiving.
 *
 * <p>A write into a month without a partition fails, so the job creates the current month and
 * {@code months-ahead} more; {@code stockroom_history_partitions_horizon_days} says how far ahead writes are covered.
 * Retention never drops data: it detaches a month ({@code DETACH PARTITION ... CONCURRENTLY}, which inserts do not
 * wait for), records it in {@code stock_movement_archive}, counts it and logs it; an operator archives the table and
 * drops it (docs/runbooks/ledger-history.md). The rollup keeps the month's daily figures.
 */
@ApplicationScoped
class PartitionJob {

    /** A month detached from the ledger. */
    record Detached(String name, Instant from, Instant to, long rows) {
    }

    private static final Logger LOG = Logger.getLogger(PartitionJob.class);

    private final AgroalDataSource dataSource;
    private final HistoryConfig config;
    private final Clock clock;
    private final LedgerMove move;
    private final Counter detachedCounter;
    private final AtomicLong horizonSeconds = new AtomicLong();
    private final AtomicLong awaitingArchive = new AtomicLong();

    PartitionJob(AgroalDataSource dataSource, HistoryConfig config, Clock clock, LedgerMove move,
                 MeterRegistry registry) {
        this.dataSource = dataSource;
        this.config = config;
        this.clock = clock;
        this.move = move;
        this.detachedCounter = Counter.builder("stockroom.history.partitions.detached")
                .description("Ledger partitions detached by retention, to be archived").register(registry);
        if (config.jobs()) {
            // Only where the job runs: elsewhere nothing would update them.
            Gauge.builder("stockroom.history.partitions.horizon", horizonSeconds, s -> s.get() / 86_400.0)
                    .baseUnit("days")
                    .description("How far ahead of now the ledger's partitions reach; writes beyond it would fail")
                    .register(registry);
            Gauge.builder("stockroom.history.partitions.awaiting.archive", awaitingArchive, AtomicLong::get)
                    .description("Detached ledger partitions still in the database, waiting to be archived and dropped")
                    .register(registry);
        }
    }

    void onStart(@Observes StartupEvent start) {
        int needed = (int) Math.ceil(config.maxRangeDays() / 28.0) + 1;
        if (config.partitions().retentionMonths() < needed) {
            throw new IllegalStateException("stockroom.history.partitions.retention-months="
                    + config.partitions().retentionMonths() + " keeps less than the " + config.maxRangeDays()
                    + " days a report may cover; set it to at least " + needed);
        }
    }

    @Scheduled(every = "${stockroom.history.partitions.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void run() {
        if (!config.jobs()) {
            return;
        }
        try {
            ensureAhead();
            if (move.phase() == LedgerMove.Phase.SWITCHED) {
                // Not during the move: the copy may still bring rows of an old month back.
                retain();
            }
        } catch (SQLException e) {
            LOG.warnf("Ledger partitions: %s; trying again on the next run", e.getMessage());
        }
    }

    /** Creates the partitions of the current month and the months ahead that are missing; returns those created. */
    List<YearMonth> ensureAhead() throws SQLException {
        YearMonth current = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC));
        List<YearMonth> created = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            withTimeouts(c, config.partitions().lockTimeout(), () -> {
                for (int m = 0; m <= config.partitions().monthsAhead(); m++) {
                    YearMonth month = current.plusMonths(m);
                    if (Sql.query(c, "SELECT stock_movement_ensure_partition(?)", rs -> rs.getBoolean(1),
                            month.atDay(1)).get(0)) {
                        created.add(month);
                        LOG.infof("Ledger partitions: created the partition of %s", month);
                    }
                }
            });
            Instant horizon = Sql.query(c, "SELECT max(to_at) FROM stock_movement_partitions()",
                    rs -> Sql.instant(rs, "max")).get(0);
            horizonSeconds.set(horizon == null ? 0 : Duration.between(clock.instant(), horizon).toSeconds());
        }
        return created;
    }

    /** Detaches the months that ended before the retention began; returns them. */
    List<Detached> retain() throws SQLException {
        Instant cutoff = YearMonth.from(clock.instant().atZone(ZoneOffset.UTC)).minusMonths(config.partitions()
                .retentionMonths())
                .atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        List<Detached> detached = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            record Old(String name, Instant from, Instant to, boolean pending) {
            }
            List<Old> old = Sql.query(c, "SELECT name, from_at, to_at, detach_pending FROM stock_movement_partitions()"
                    + " WHERE to_at <= ?",
                    rs -> new Old(rs.getString(1), Sql.instant(rs, "from_at"), Sql.instant(rs, "to_at"), rs.getBoolean(
                            4)),
                    OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            for (Old month : old) {
                long rows = Sql.query(c, "SELECT count(*) FROM " + quoted(month.name()), rs -> rs.getLong(1)).get(0);
                withTimeouts(c, config.partitions().detachTimeout(), () -> {
                    try (Statement s = c.createStatement()) {
                        // FINALIZE completes a concurrent detach that was interrupted half-way.
                        s.execute("ALTER TABLE stock_movement DETACH PARTITION " + quoted(month.name())
                                + (month.pending() ? " FINALIZE" : " CONCURRENTLY"));
                    }
                });
                Sql.update(c, "INSERT INTO stock_movement_archive (name, from_at, to_at, row_count, detached_at)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING", month.name(),
                        month.from(), month.to(), rows, clock.instant());
                detachedCounter.increment();
                detached.add(new Detached(month.name(), month.from(), month.to(), rows));
                LOG.warnf("Ledger retention: detached partition %s (%s to %s, %d rows) for archiving; the service no"
                        + " longer reads it. Archive it, then drop it (docs/runbooks/ledger-history.md)",
                        month.name(), month.from(), month.to(), rows);
            }
            awaitingArchive.set(Sql.query(c, "SELECT count(*) FROM stock_movement_archive"
                    + " WHERE to_regclass(quote_ident(name)) IS NOT NULL", rs -> rs.getLong(1)).get(0));
        }
        return detached;
    }

    /** A unit of work that may throw SQLException. */
    @FunctionalInterface
    private interface Work {
        void run() throws SQLException;
    }

    /**
     * Runs {@code work} with the given lock and statement timeout on a pooled connection, and restores the pool's
     * own settings afterwards, since the next borrower must not inherit them.
     */
    private static void withTimeouts(Connection c, Duration timeout, Work work) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET lock_timeout = " + timeout.toMillis());
            s.execute("SET statement_timeout = " + Math.max(timeout.toMillis(), 5_000));
        }
        try {
            work.run();
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute("RESET lock_timeout");
                s.execute("RESET statement_timeout");
            }
        }
    }

    private static String quoted(String partition) {
        if (!partition.matches("stock_movement_p\\d{4}_\\d{2}")) {
            throw new IllegalStateException("Unexpected ledger partition " + partition);
        }
        return partition;
    }
}
