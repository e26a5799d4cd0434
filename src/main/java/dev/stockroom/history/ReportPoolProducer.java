package dev.stockroom.history;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
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
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("reports");
        hikari.setJdbcUrl(pool.jdbcUrl().orElse(writeUrl));
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(pool.size());
        hikari.setMinimumIdle(pool.size());
        hikari.setConnectionTimeout(pool.connectionTimeout().toMillis());
        hikari.setValidationTimeout(Math.max(250, pool.connectionTimeout().toMillis() / 2));
        hikari.setReadOnly(true);
        // Fail at first use rather than at start: the service starts (and answers 503) while the database is away.
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("ApplicationName", "stockroom-reports");
        // Every report is planned with its own values: the watermark and the range decide which index and which
        // partitions to read, and a generic plan would know neither.
        hikari.addDataSourceProperty("options", "-c statement_timeout=" + pool.statementTimeout().toMillis()
                + " -c plan_cache_mode=force_custom_plan");
        hikari.addDataSourceProperty("socketTimeout", Math.max(1, pool.socketTimeout().toSeconds()));
        hikari.addDataSourceProperty("connectTimeout", Math.max(1, pool.connectionTimeout().toSeconds()));
        hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        return new HikariDataSource(hikari);
    }

    void close(@Disposes @ReportPool HikariDataSource pool) {
        pool.close();
    }
}
