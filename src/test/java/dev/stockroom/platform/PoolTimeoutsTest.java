package dev.stockroom.platform;

import com.zaxxer.hikari.HikariDataSource;
import dev.stockroom.availability.AvailabilityConfig;
import dev.stockroom.availability.ReadPool;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every pool's connections carry the timeouts they are configured with. A socket without its read timeout would hold
 * a load, a report or a hold writer on a stalled network until the kernel gives up, minutes later, with every
 * connection of the pool stuck the same way.
 */
@QuarkusTest
class PoolTimeoutsTest {

    @Inject
    @ReadPool
    HikariDataSource readPool;

    @Inject
    AvailabilityConfig availability;

    @Inject
    AgroalDataSource writePool;

    @ConfigProperty(name = "quarkus.datasource.jdbc.additional-jdbc-properties.socketTimeout")
    int writeSocketTimeoutSeconds;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password", defaultValue = "")
    String password;

    @Test
    void writePool_connection_hasTheConfiguredSocketAndStatementTimeouts() throws SQLException {
        try (Connection connection = writePool.getConnection()) {
            assertThat(connection.getNetworkTimeout()).isEqualTo(writeSocketTimeoutSeconds * 1_000);
            assertThat(setting(connection, "statement_timeout")).isEqualTo("5000");
            assertThat(setting(connection, "lock_timeout")).isEqualTo("3000");
        }
    }

    @Test
    void readPool_connection_hasTheConfiguredSocketAndStatementTimeouts() throws SQLException {
        try (Connection connection = readPool.getConnection()) {
            assertThat(connection.getNetworkTimeout())
                    .isEqualTo(availability.readPool().socketTimeout().toMillis());
            assertThat(setting(connection, "statement_timeout"))
                    .isEqualTo(String.valueOf(availability.readPool().statementTimeout().toMillis()));
            assertThat(setting(connection, "application_name")).isEqualTo("stockroom-read");
            assertThat(connection.isReadOnly()).isTrue();
        }
    }

    @Test
    void open_settings_everyConnectionCarriesThem() throws SQLException {
        ReadOnlyPool.Settings settings = new ReadOnlyPool.Settings("probe", 1, Duration.ofSeconds(2),
                Duration.ofSeconds(7), "-c statement_timeout=1234 -c plan_cache_mode=force_custom_plan");
        try (HikariDataSource pool = ReadOnlyPool.open(settings, url, user, password, registry);
             Connection connection = pool.getConnection()) {
            assertThat(connection.getNetworkTimeout()).isEqualTo(7_000);
            assertThat(setting(connection, "statement_timeout")).isEqualTo("1234");
            assertThat(setting(connection, "plan_cache_mode")).isEqualTo("force_custom_plan");
            assertThat(setting(connection, "application_name")).isEqualTo("stockroom-probe");
            assertThat(pool.getMaximumPoolSize()).isEqualTo(1);
        }
    }

    /** A run-time setting in its base unit (milliseconds for timeouts). */
    private static String setting(Connection connection, String name) throws SQLException {
        try (PreparedStatement s = connection.prepareStatement("SELECT setting FROM pg_settings WHERE name = ?")) {
            s.setString(1, name);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }
}
