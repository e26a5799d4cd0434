package dev.stockroom.availability;

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
 * The HikariCP pool named {@code read}: plain JDBC for cache loads, fixed size, short connection timeout. It is
 * eager so that its metrics ({@code hikaricp_connections_active{pool="read"}}, …) exist from the start.
 */
public class ReadPoolProducer {

    @Produces
    @Singleton
    @Startup
    @ReadPool
    HikariDataSource readPool(AvailabilityConfig config, MeterRegistry registry,
                              @ConfigProperty(name = "quarkus.datasource.jdbc.url") String writeUrl,
                              @ConfigProperty(name = "quarkus.datasource.username") String user,
                              @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "") String password) {
        AvailabilityConfig.ReadPool pool = config.readPool();
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName("read");
        hikari.setJdbcUrl(pool.jdbcUrl().orElse(writeUrl));
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(pool.size());
        hikari.setMinimumIdle(pool.size());
        hikari.setConnectionTimeout(pool.connectionTimeout().toMillis());
        hikari.setValidationTimeout(Math.max(250, pool.connectionTimeout().toMillis() / 2));
        hikari.setReadOnly(true);
        // Fail at first use rather than at start, so that the service starts (and serves stale or 503) while the
        // database is briefly away.
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("ApplicationName", "stockroom-read");
        hikari.addDataSourceProperty("options", "-c statement_timeout=" + pool.statementTimeout().toMillis());
        hikari.addDataSourceProperty("socketTimeout", Math.max(1, pool.socketTimeout().toSeconds()));
        hikari.addDataSourceProperty("connectTimeout", Math.max(1, pool.connectionTimeout().toSeconds()));
        hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        return new HikariDataSource(hikari);
    }

    void close(@Disposes @ReadPool HikariDataSource pool) {
        pool.close();
    }
}
