package dev.stockroom.availability;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.faulttolerance.api.TypedGuard;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.util.TypeLiteral;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * Cache loads on the read pool, guarded so that a slow or absent database costs the cache only its freshness.
 *
 * <p>Policies stack outside in: the circuit breaker fails at once while open; the bulkhead, exactly the read pool's
 * size, rejects a load beyond it at once; the timeout bounds the wait, and {@code statement_timeout} plus the
 * socket timeout make the database and the driver give up too, since a timeout cannot interrupt JDBC. The guard is
 * built here from {@link AvailabilityConfig} ({@code read-pool.size} and {@code guard.*}), so each value has one
 * definition and the bulkhead cannot outgrow the pool. Its SmallRye Fault Tolerance metrics carry
 * {@code method="dev.stockroom.availability.ReadPoolLoader.load"}.
 */
@Singleton
public class ReadPoolLoader implements LevelSource {

    private static final Logger LOG = Logger.getLogger(ReadPoolLoader.class);

    private final HikariDataSource readPool;
    private final Counter queries;
    private final TypedGuard<Map<String, List<CachedLevel>>> guard;

    ReadPoolLoader(@ReadPool HikariDataSource readPool, AvailabilityConfig config, MeterRegistry registry) {
        this.readPool = readPool;
        this.queries = Counter.builder("stockroom.availability.load.queries").tag("pool", "read")
                .description("Batched load queries sent by the availability cache").register(registry);
        AvailabilityConfig.Guard.CircuitBreaker circuit = config.guard().circuitBreaker();
        this.guard = TypedGuard.create(new TypeLiteral<Map<String, List<CachedLevel>>>() {})
                .withDescription(ReadPoolLoader.class.getName() + ".load")
                .withCircuitBreaker().requestVolumeThreshold(circuit.requestVolume())
                .failureRatio(circuit.failureRatio()).delay(circuit.delay().toMillis(), ChronoUnit.MILLIS)
                .successThreshold(1).done()
                .withBulkhead().limit(config.readPool().size()).done()
                .withTimeout().duration(config.guard().timeout().toMillis(), ChronoUnit.MILLIS).done()
                .build();
    }

    /**
     * Sends one empty load at start. The guard builds itself on its first call, and the driver prepares the query
     * on first use: done here, a cold start does not spend the first storefront read's deadline on them.
     */
    void warmUp(@Observes StartupEvent start) {
        try {
            load(List.of());
        } catch (Exception e) {
            // The database may be away at start; the first read will try again.
            LOG.debugf("Availability load warm-up failed: %s", e);
        }
    }

    @Override
    public Map<String, List<CachedLevel>> load(List<String> skus) throws Exception {
        return guard.call(() -> {
            queries.increment();
            return LevelQuery.load(readPool, skus);
        });
    }
}
