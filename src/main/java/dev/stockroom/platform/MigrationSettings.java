package dev.stockroom.platform;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.flywaydb.core.api.configuration.FluentConfiguration;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;

/**
 * Runs Flyway's migrations on connections of their own, with their own limits ({@link MigrationConfig}).
 *
 * <p>The write pool's connections carry {@code statement_timeout} and {@code lock_timeout} for the service's own
 * statements (a few seconds) from their connection options, so a migration run on them would inherit those, and an
 * index or a constraint over a large table would fail at start-up. Setting other values on a pooled connection
 * would last beyond the migration, into the service's own statements. So Flyway opens its own connections, to the
 * same database as the same user, and sets the migration limits on them as they open; they are closed when the
 * migration ends.
 */
@Singleton
public class MigrationSettings implements FlywayConfigurationCustomizer {

    private final MigrationConfig config;
    private final String url;
    private final String user;
    private final Optional<String> password;

    MigrationSettings(MigrationConfig config,
                      @ConfigProperty(name = "quarkus.datasource.jdbc.url") String url,
                      @ConfigProperty(name = "quarkus.datasource.username") String user,
                      @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.config = config;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    @Override
    public void customize(FluentConfiguration flyway) {
        flyway.dataSource(url, user, password.orElse(null));
        flyway.initSql(initSql(config));
        flyway.callbacks(new LimitsBeforeEachMigration(initSql(config)));
    }

    /**
     * Sets the limits again before each migration. A migration that builds an index {@code CONCURRENTLY} runs outside
     * a transaction and sets its own timeouts; its {@code RESET} then restores the server's defaults, not these,
     * and the migrations after it on the same connection would run without limits.
     */
    record LimitsBeforeEachMigration(String sql) implements Callback {
        @Override
        public boolean supports(Event event, Context context) {
            return event == Event.BEFORE_EACH_MIGRATE;
        }

        @Override
        public boolean canHandleInTransaction(Event event, Context context) {
            return true;
        }

        @Override
        public void handle(Event event, Context context) {
            try (Statement statement = context.getConnection().createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("Cannot set the migration limits", e);
            }
        }

        @Override
        public String getCallbackName() {
            return "migration limits";
        }
    }

    /** What a migration connection runs as it opens. */
    static String initSql(MigrationConfig config) {
        return "SET statement_timeout = " + config.statementTimeout().toMillis()
                + "; SET lock_timeout = " + config.lockTimeout().toMillis()
                + "; SET application_name = 'stockroom-migration'";
    }
}
