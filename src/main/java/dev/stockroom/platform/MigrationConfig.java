package dev.stockroom.platform;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * The limits Flyway's migrations run under at start-up. They are not the write pool's: a statement of the service
 * must give up within seconds, while a migration may build an index or check a constraint over a large table.
 */
@ConfigMapping(prefix = "stockroom.migration")
public interface MigrationConfig {

    /**
     * {@code statement_timeout} of a migration's statements. Long enough for an index or a constraint over a large
     * table; the deployment's startup probe must leave the migration at least this long.
     */
    @WithDefault("30m")
    Duration statementTimeout();

    /**
     * {@code lock_timeout} of a migration's statements. A schema change waiting for a table lock makes every query of
     * that table queue behind it, so it gives up rather than wait long; the service then fails to start and is
     * started again (and the migration tried again) by its orchestrator.
     */
    @WithDefault("10s")
    Duration lockTimeout();
}
