package dev.stockroom.platform;

import io.quarkus.flyway.FlywayConfigurationCustomizer;
import jakarta.enterprise.context.ApplicationScoped;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

/**
 * Lets a migration build or drop an index {@code CONCURRENTLY}, which is how an index reaches a table in use
 * without blocking its writes (the migration lint requires it for existing tables).
 *
 * <p>Two Flyway defaults stand in the way. Flyway refuses a file that mixes such a statement with the
 * {@code SET lock_timeout} / {@code SET statement_timeout} before it ({@code mixed}); allowed, that file runs outside
 * a transaction, so {@code bin/lint-migrations} accepts nothing else in a file that says {@code CONCURRENTLY}. And
 * Flyway's lock on its history table is a transaction-level advisory lock, whose open transaction a concurrent build
 * waits for until its lock timeout; a session-level lock serializes replicas that migrate at once just as well.
 */
@ApplicationScoped
public class ConcurrentIndexMigrations implements FlywayConfigurationCustomizer {

    @Override
    public void customize(FluentConfiguration configuration) {
        configuration.mixed(true);
        configuration.getPluginRegister().getExact(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
    }
}
