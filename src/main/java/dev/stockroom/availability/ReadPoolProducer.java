package dev.stockroom.availability;

import com.zaxxer.hikari.HikariDataSource;
import dev.stockroom.platform.ReadOnlyPool;
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
        return ReadOnlyPool.open(new ReadOnlyPool.Settings("read", pool.size(), pool.connectionTimeout(),
                pool.socketTimeout(), "-c statement_timeout=" + pool.statementTimeout().toMillis()),
                pool.jdbcUrl().orElse(writeUrl), user, password, registry);
    }

    void close(@Disposes @ReadPool HikariDataSource pool) {
        pool.close();
    }
}
