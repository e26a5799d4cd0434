package dev.stockroom.outbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockroom.platform.Backoff;
import dev.stockroom.platform.KafkaClients;
import dev.stockroom.platform.Sql;
import dev.stockroom.stock.StockLevel;
import dev.stockroom.stock.StockLevelChanged;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes the stock change outbox to {@code inventory.stock-changes} as CloudEvents {@code stock.changed}
 * (binary mode, key = SKU), then deletes what it published.
 *
 * <p>Longer than the other classes (about 280 lines): the claim, the Kafka transaction and the delete are one
 * protocol whose order is what makes publishing exactly-once and in version order, so they stay side by side.
 *
 * <p><b>Order per SKU across replicas.</b> A relay claims whole SKUs, not rows: it takes a transaction-scoped
 * advisory lock per SKU (skipping SKUs another relay holds), then takes that SKU's rows in id order. A batch looks only
 * at the oldest rows of the outbox (a batch's worth, read by the primary key), so a backlog of any length costs the
 * same per batch: a SKU's oldest row is among them if any of its rows is, and its rows among them come before all
 * its others. Another replica skips
 * a claimed SKU, so two relays never publish the same SKU at once. Rows of one stock level
 * enter the outbox in commit order (the trigger runs under the stock level's row lock), so id order is version
 * order.
 *
 * <p><b>Broker outages.</b> A batch is one Kafka transaction inside one database transaction: the rows are
 * deleted only after the broker committed the batch, and a failed batch is aborted (read-committed consumers never
 * see it) and retried from its first row after a backoff. Nothing is lost or reordered. A crash between the Kafka
 * commit and the database commit publishes that batch again; consumers keep the highest version per stock level.
 */
@ApplicationScoped
class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /**
     * The first key of the advisory locks by which relays claim SKUs (the second is the SKU's hash), so that they
     * cannot meet another use of advisory locks in the same database.
     */
    private static final int CLAIM_LOCK_SPACE = 0x5707_0B0C;

    private final AgroalDataSource dataSource;
    private final KafkaClients kafka;
    private final OutboxConfig config;
    private final ObjectMapper json;
    private final Clock clock;
    private final Semaphore wake = new Semaphore(0);
    private final String transactionalId;
    private final DistributionSummary transactionSizes;
    private volatile boolean running;
    private Thread worker;
    private KafkaProducer<String, byte[]> producer;
    private volatile double oldestAgeSeconds;

    OutboxRelay(AgroalDataSource dataSource, KafkaClients kafka, OutboxConfig config, ObjectMapper json,
                MeterRegistry registry, Clock clock) {
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.config = config;
        this.json = json;
        this.clock = clock;
        this.transactionalId = transactionalId(config.transactionalId(),
                Optional.ofNullable(System.getenv("HOSTNAME")));
        // What readiness leaves out: a broker outage shows here (and in the StockroomOutboxBehind alert).
        Gauge.builder("stockroom.outbox.oldest.age", this, relay -> relay.oldestAgeSeconds).baseUnit("seconds")
                .description("Age of the oldest stock change this relay last claimed, 0 if it found none")
                .register(registry);
        this.transactionSizes = DistributionSummary.builder("stockroom.outbox.batch.size")
                .description("Stock changes published per Kafka transaction").register(registry);
    }

    /**
     * The relay's transactional id: the configured one, else one derived from the pod's name, else (no pod, as in
     * dev mode) a random one, which no restart reuses.
     */
    static String transactionalId(Optional<String> configured, Optional<String> podName) {
        return configured.filter(id -> !id.isBlank())
                .or(() -> podName.filter(name -> !name.isBlank()).map(name -> "stockroom-outbox-" + name))
                .orElseGet(() -> "stockroom-outbox-" + UUID.randomUUID());
    }

    void start(@Observes StartupEvent startup) {
        if (!config.enabled()) {
            return;
        }
        LOG.infof("Outbox relay publishes with Kafka transactional id %s", transactionalId);
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    /** A local commit wrote outbox rows: publish now rather than at the next poll. */
    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) StockLevelChanged changed) {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        running = false;
        if (worker != null) {
            wake.release();
            // The batch in flight finishes or rolls back; its rows are published by whichever relay runs next.
            worker.join(config.sendTimeout().toMillis() + 5_000);
        }
        closeProducer();
    }

    private void run() {
        Backoff backoff = new Backoff(config.backoff(), config.maxBackoff());
        while (running) {
            try {
                int published = QuarkusTransaction.requiringNew().call(this::relayBatch);
                backoff.reset();
                if (published < config.batchSize()) {
                    if (wake.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS) && running) {
                        Thread.sleep(config.linger().toMillis()); // the commits right behind this one join it
                    }
                    wake.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException failure) {
                Duration pause = backoff.next();
                LOG.warnf("Could not publish stock changes (%s); retrying in %s", failure, pause);
                closeProducer();
                try {
                    // A local commit or shutdown ends the pause early: hence this wait, not a retry library's sleep.
                    wake.tryAcquire(pause.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Claims, publishes and deletes one batch; returns how many rows. */
    int relayBatch() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<Row> rows = claim(c);
            if (rows.isEmpty()) {
                oldestAgeSeconds = 0;
                return 0;
            }
            // The first row claimed is the oldest this relay can publish; its age grows while publishing fails.
            Duration age = Duration.between(rows.get(0).change().changedAt(), clock.instant());
            oldestAgeSeconds = Math.max(0, age.toMillis() / 1000.0);
            publish(rows);
            transactionSizes.record(rows.size());
            Sql.update(c, "DELETE FROM stock_change_outbox WHERE id = ANY(?)",
                    (Object) rows.stream().map(Row::id).toArray(Long[]::new));
            return rows.size();
        }
    }

    /**
     * Claims the SKUs that no other relay holds, among the oldest batch's worth of rows, and returns those SKUs'
     * rows among them in id order. The claims last until the caller's transaction ends.
     *
     * <p>A SKU is claimed with a transaction-scoped advisory lock on its name's hash, not by locking one of its
     * rows: ids are taken inside the writing transactions, so a lower id of the SKU (another location) can commit
     * after a relay locked the SKU's oldest row it could see, and would then be a new, unlocked oldest row for
     * another relay. The advisory lock names the SKU itself and cannot be overtaken. The rows are read by a second
     * statement, whose snapshot is taken after the locks: it sees what a relay that held a SKU before deleted.
     * Two SKUs whose names share a hash are claimed together, which costs a little parallelism and nothing else.
     */
    List<Row> claim(Connection c) throws SQLException {
        String[] skus = Sql.query(c, """
                WITH oldest AS MATERIALIZED (
                    SELECT id, sku FROM stock_change_outbox ORDER BY id LIMIT ?),
                heads AS MATERIALIZED (
                    SELECT sku, min(id) AS head FROM oldest GROUP BY sku)
                SELECT sku FROM heads WHERE pg_try_advisory_xact_lock(?, hashtext(sku)) ORDER BY head""",
                rs -> rs.getString(1), config.batchSize(), CLAIM_LOCK_SPACE).toArray(String[]::new);
        if (skus.length == 0) {
            return List.of();
        }
        return Sql.query(c, """
                SELECT o.id, o.sku, o.location, o.on_hand, o.reserved, o.committed, o.safety_stock, o.version,
                       o.changed_at, coalesce(l.active, false) AS active
                FROM stock_change_outbox o LEFT JOIN location l ON l.code = o.location
                WHERE o.sku = ANY(?)
                  AND o.id IN (SELECT id FROM stock_change_outbox ORDER BY id LIMIT ?)
                ORDER BY o.id""", OutboxRelay::map, skus, config.batchSize());
    }

    private void publish(List<Row> rows) {
        KafkaProducer<String, byte[]> p = producer();
        p.beginTransaction();
        for (Row row : rows) {
            RecordHeaders headers = new RecordHeaders();
            headers.add("ce_specversion", bytes("1.0"));
            headers.add("ce_id", bytes(row.change.sku() + "/" + row.change.location() + "/" + row.change.version()));
            headers.add("ce_type", bytes("stock.changed"));
            headers.add("ce_source", bytes(config.source()));
            headers.add("ce_subject", bytes(row.change.sku()));
            headers.add("ce_time", bytes(row.change.changedAt().toString()));
            headers.add("content-type", bytes("application/json"));
            try {
                p.send(new ProducerRecord<>(config.topic(), null, row.change.sku(),
                        json.writeValueAsBytes(row.change), headers));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        // Flushes and waits for every record; throws if the broker does not take them all within the timeouts.
        p.commitTransaction();
    }

    private KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            int timeout = (int) config.sendTimeout().toMillis();
            producer = kafka.producer("stockroom-outbox", Map.of(
                    ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 5,
                    // One request in flight per partition: the broker otherwise rejects (and the client retries) the
                    // second batch of a fresh transaction when it overtakes the first.
                    ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout,
                    ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, timeout / 2),
                    ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, timeout,
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, Math.max(timeout * 3, 30_000)));
            // Fences and aborts whatever a previous producer with this id left open: the relay this one replaces, if
            // it crashed in the middle of a batch.
            producer.initTransactions();
        }
        return producer;
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // A broken producer is being replaced.
            }
            producer = null;
        }
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    private static Row map(ResultSet rs) throws SQLException {
        Instant changedAt = Sql.instant(rs, "changed_at");
        StockLevel level = new StockLevel(rs.getString("sku"), rs.getString("location"), rs.getInt("on_hand"),
                rs.getInt("reserved"), rs.getInt("committed"), rs.getInt("safety_stock"), rs.getLong("version"),
                changedAt);
        return new Row(rs.getLong("id"), StockChanged.of(level, rs.getBoolean("active")));
    }

    record Row(long id, StockChanged change) {
    }
}
