package dev.stockroom.platform.embedded;

/** Lets test resources that start before the application reach the one embedded PostgreSQL of this JVM. */
public final class EmbeddedDatabase {

    private EmbeddedDatabase() {
    }

    /** JDBC URL of the embedded server, started now if no application has started it yet. */
    public static String jdbcUrl() {
        return EmbeddedPostgresServer.jdbcUrl(0);
    }
}
