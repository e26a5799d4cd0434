package dev.stockroom.reservation;

import dev.stockroom.platform.DatabaseTime;
import dev.stockroom.platform.Sql;
import dev.stockroom.stock.LockedStock;
import dev.stockroom.stock.Movement;
import dev.stockroom.stock.MovementKind;
import dev.stockroom.stock.StockKey;
import dev.stockroom.stock.StockService;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Returns the quantity of holds whose time ran out.
 *
 * <p>Any number of replicas may sweep at once: each claims a batch of expired holds with {@code FOR UPDATE SKIP
 * LOCKED}, so no two claim the same hold and none waits for another. Within a batch, stock rows are locked in
 * the one lock order every writer of stock follows, so a sweep cannot deadlock with checkouts.
 *
 * <p>Lateness is bounded by the sweep interval plus the time to drain what is due; until a hold is swept its
 * quantity stays reserved (nothing is oversold), and it can no longer be committed.
 */
@ApplicationScoped
public class ExpirySweeper {

    private static final Logger LOG = Logger.getLogger(ExpirySweeper.class);

    private final AgroalDataSource dataSource;
    private final StockService stock;
    private final ReservationConfig config;
    private final Clock clock;
    private final Timer lateness;

    ExpirySweeper(AgroalDataSource dataSource, StockService stock, ReservationConfig config, Clock clock,
                  MeterRegistry registry) {
        this.dataSource = dataSource;
        this.stock = stock;
        this.config = config;
        this.clock = clock;
        this.lateness = Timer.builder("stockroom.hold.expiry.lateness")
                .description("Time from a hold's expiry to the sweep that returned its quantity")
                .publishPercentileHistogram()
                .register(registry);
    }

    @Scheduled(every = "${stockroom.reservation.expiry.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int batches = 0;
        int expired;
        do {
            expired = QuarkusTransaction.requiringNew().call(this::expireBatch);
            batches++;
        } while (expired == config.expiry().batchSize() && batches < config.expiry().maxBatchesPerSweep());
    }

    /** Expires one batch of due holds in one transaction; returns how many. */
    int expireBatch() throws SQLException {
        Instant now = DatabaseTime.now(clock);
        try (Connection c = dataSource.getConnection()) {
            List<Due> due = Sql.query(c, "SELECT id, expires_at FROM reservation"
                    + " WHERE status = ? AND expires_at <= ? ORDER BY expires_at LIMIT ?"
                    + " FOR UPDATE SKIP LOCKED",
                    rs -> new Due(rs.getObject("id", UUID.class), Sql.instant(rs, "expires_at")),
                    ReservationStatus.HELD.name(), now, config.expiry().batchSize());
            if (due.isEmpty()) {
                return 0;
            }
            UUID[] ids = due.stream().map(Due::id).toArray(UUID[]::new);
            List<Line> lines = Sql.query(c, "SELECT reservation_id, sku, location, quantity FROM reservation_line"
                    + " WHERE reservation_id = ANY(?)",
                    rs -> new Line(rs.getObject("reservation_id", UUID.class), rs.getString("sku"),
                            rs.getString("location"), rs.getInt("quantity")), (Object) ids);

            Sql.update(c, "UPDATE reservation SET status = ?, updated_at = ? WHERE id = ANY(?)",
                    ReservationStatus.EXPIRED.name(), now, ids);
            List<Movement> movements = lines.stream().map(line -> Movement.ofHold(MovementKind.EXPIRE, line.sku,
                    line.location, -line.quantity, 0, line.reservationId, now)).toList();
            Set<StockKey> keys = new TreeSet<>();
            movements.forEach(m -> keys.add(m.key()));
            LockedStock locked = stock.lock(keys, Set.of());
            movements.forEach(locked::apply);
            stock.write(locked, now);
            due.forEach(d -> lateness.record(Duration.between(d.expiresAt, now)));
            LOG.debugf("Expired %d holds", due.size());
            return due.size();
        }
    }

    private record Due(UUID id, Instant expiresAt) {
    }

    private record Line(UUID reservationId, String sku, String location, int quantity) {
    }
}
