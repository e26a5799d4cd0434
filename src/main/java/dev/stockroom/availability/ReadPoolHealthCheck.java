package dev.stockroom.availability;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Readiness of the cache's read pool: DOWN when it cannot reach the database. A pool whose connections are all busy
 * (a refresh burst) is reachable, and stays UP, so that pods do not leave the load balancer in the middle of a
 * burst; the probe then does not wait for a connection either.
 */
@Readiness
@ApplicationScoped
public class ReadPoolHealthCheck implements HealthCheck {

    private static final String NAME = "Availability read pool";

    private final HikariDataSource readPool;

    ReadPoolHealthCheck(@ReadPool HikariDataSource readPool) {
        this.readPool = readPool;
    }

    @Override
    public HealthCheckResponse call() {
        HikariPoolMXBean pool = readPool.getHikariPoolMXBean();
        if (pool != null && pool.getActiveConnections() >= readPool.getMaximumPoolSize()) {
            return HealthCheckResponse.named(NAME).up().withData("state", "all connections busy").build();
        }
        try (Connection connection = readPool.getConnection()) {
            return connection.isValid(1)
                    ? HealthCheckResponse.up(NAME)
                    : HealthCheckResponse.named(NAME).down().withData("error", "connection not valid").build();
        } catch (SQLException e) {
            return HealthCheckResponse.named(NAME).down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
