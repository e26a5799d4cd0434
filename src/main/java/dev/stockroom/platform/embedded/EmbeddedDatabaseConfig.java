package dev.stockroom.platform.embedded;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The embedded PostgreSQL of dev mode and tests; it never starts in the {@code prod} profile, nor when
 * {@code STOCKROOM_DB_URL} names a database.
 */
@ConfigMapping(prefix = "stockroom.embedded-db")
public interface EmbeddedDatabaseConfig {

    /** Whether dev mode and tests start it; {@code false} leaves {@code quarkus.datasource.jdbc.url} as configured. */
    @WithDefault("true")
    boolean enabled();

    /** Port it listens on; 0 takes a free one (tests). Dev mode sets 5433, so that psql can reach it. */
    @WithDefault("0")
    int port();
}
