package dev.stockroom.platform;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;

/**
 * A HikariCP pool of plain JDBC beside the ORM's write pool, for reads that must never take a connection a hold
 * needs: the availability cache's loads ({@code read}) and history reports ({@code reports}). Fixed size, read-only,
 * short connection timeout, and a socket timeout so that a query on a frozen network fails instead of holding its
 * connection until the kernel gives up.
 */
public final class ReadOnlyPool {

    /**
     * What a pool is made of.
     *
     * @param name    the pool's name in metrics and logs; connections are named {@code stockroom-<name>} in
     *                {@code pg_stat_activity}
     * @param options PostgreSQL run-time settings for every connection, e.g. {@code -c statement_timeout=2000}
     */
    public record Settings(String name, int size, Duration connectionTimeout, Duration socketTimeout,
                           String options) {
    }

    private ReadOnlyPool() {
    }

    public static HikariDataSource open(Settings settings, String url, String user, String password,
                                        MeterRegistry registry) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(settings.name());
        hikari.setJdbcUrl(url);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setMaximumPoolSize(settings.size());
        hikari.setMinimumIdle(settings.size());
        hikari.setConnectionTimeout(settings.connectionTimeout().toMillis());
        hikari.setValidationTimeout(Math.max(250, settings.connectionTimeout().toMillis() / 2));
        hikari.setReadOnly(true);
        // Fail at first use rather than at start, so that the service starts (and serves stale or 503) while the
        // database is briefly away.
        hikari.setInitializationFailTimeout(-1);
        // Driver properties as strings: the driver reads them with Properties.getProperty, which sees no other
        // type, so a number here would silently leave the socket without a timeout.
        hikari.addDataSourceProperty("ApplicationName", "stockroom-" + settings.name());
        hikari.addDataSourceProperty("options", settings.options());
        hikari.addDataSourceProperty("socketTimeout", seconds(settings.socketTimeout()));
        hikari.addDataSourceProperty("connectTimeout", seconds(settings.connectionTimeout()));
        hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        return new HikariDataSource(hikari);
    }

    /** Whole seconds, at least one: the driver's timeouts are in seconds, and zero would mean none. */
    private static String seconds(Duration timeout) {
        return String.valueOf(Math.max(1, timeout.toSeconds()));
    }
}
