package dev.stockroom.availability;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Naive mode only: cache loads on the write pool with no bulkhead, as the incident had them. Never used unless
 * {@code stockroom.availability.naive=true}.
 */
@ApplicationScoped
public class WritePoolLoader implements LevelSource {

    private final AgroalDataSource writePool;
    private final Counter queries;

    WritePoolLoader(AgroalDataSource writePool, MeterRegistry registry) {
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
