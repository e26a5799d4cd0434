package dev.stockroom.availability;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Naive mode's source of levels (test scope only): cache loads on the write pool, with no bulkhead and no circuit
 * breaker, the way a cache is first written when it shares the service's one datasource. Its queries are counted
 * as {@code stockroom_availability_load_queries_total{pool="write"}}.
 */
final class WritePoolSource implements LevelSource {

    private final AgroalDataSource writePool;
    private final Counter queries;

    WritePoolSource(AgroalDataSource writePool, MeterRegistry registry) {
        this.writePool = writePool;
        this.queries = Counter.builder("stockroom.availability.load.queries").tag("pool", "write")
                .description("Batched load queries sent by the availability cache").register(registry);
    }

    @Override
    public Map<String, List<CachedLevel>> load(List<String> skus) throws SQLException {
        queries.increment();
        return LevelQuery.load(writePool, skus);
    }
}
