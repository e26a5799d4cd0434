package dev.stockroom.availability;

import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Bulkhead;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Cache loads on the read pool, guarded so that a slow or absent database costs the cache only its freshness.
 *
 * <p>Policies stack outside in: the circuit breaker fails at once while open; the bulkhead (no larger than the
 * pool) rejects a load beyond it at once; the timeout bounds the wait, and {@code statement_timeout} plus the
 * socket timeout make the database and the driver give up too, since a timeout cannot interrupt JDBC. All values
 * are MicroProfile Fault Tolerance configuration keys in application.properties.
 */
@ApplicationScoped
public class ReadPoolLoader implements LevelSource {

    private final HikariDataSource readPool;
    private final Counter queries;

    ReadPoolLoader(@ReadPool HikariDataSource readPool, MeterRegistry registry) {
        this.readPool = readPool;
        this.queries = Counter.builder("stockroom.availability.load.queries").tag("pool", "read")
                .description("Batched load queries sent by the availability cache").register(registry);
    }

    @Override
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.5, delay = 5_000, successThreshold = 1)
    @Bulkhead(4)
    @Timeout(3_000)
    public Map<String, List<CachedLevel>> load(List<String> skus) throws SQLException {
        queries.increment();
        return LevelQuery.load(readPool, skus);
    }
}
