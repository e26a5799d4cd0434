package dev.stockroom.history;

import com.zaxxer.hikari.HikariDataSource;
import dev.stockroom.platform.ReadOnlyPool;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The HikariCP pool named {@code reports}: plain JDBC for history pages and reports, fixed size, read-only, with a
 * {@code statement_timeout}. A burst of reports waits or is refused here; it never takes a connection that a hold
 * needs. Eager, so that its metrics ({@code hikaricp_connections_active{pool="reports"}}, …) exist from the start.
 */
class ReportPoolProducer {

    @Produces
    @Singleton
    @Startup
    @ReportPool
    HikariDataSource reportPool(HistoryConfig config, MeterRegistry registry,
                                @ConfigProperty(name = "quarkus.datasource.jdbc.url") String writeUrl,
                                @ConfigProperty(name = "quarkus.datasource.username") String user,
                                @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "") String password) {
        HistoryConfig.Pool pool = config.pool();
        // Every report is planned with its own values: the watermark and the range decide which index and which
        // partitions to read, and a generic plan would know neither.
        String options = "-c statement_timeout=" + pool.statementTimeout().toMillis()
                + " -c plan_cache_mode=force_custom_plan";
        return ReadOnlyPool.open(new ReadOnlyPool.Settings("reports", pool.size(), pool.connectionTimeout(),
                pool.socketTimeout(), options), pool.jdbcUrl().orElse(writeUrl), user, password, registry);
    }

    void close(@Disposes @ReportPool HikariDataSource pool) {
        pool.close();
    }
}
