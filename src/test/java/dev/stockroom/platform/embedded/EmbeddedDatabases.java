package dev.stockroom.platform.embedded;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Databases of their own inside this JVM's embedded PostgreSQL server, for tests that need an empty schema. */
public final class EmbeddedDatabases {

    private EmbeddedDatabases() {
    }

    /** Creates database {@code name} (dropping one of that name first) and returns its JDBC URL. */
    public static String create(String name) throws SQLException {
        String server = EmbeddedPostgresServer.jdbcUrl(0);
        try (Connection c = DriverManager.getConnection(server, user(), password()); Statement s = c
                .createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + name);
        }
        return server.replaceFirst("/postgres(\\?|$)", "/" + name + "$1");
    }

    /** Drops database {@code name}, disconnecting whoever is still connected. */
    public static void drop(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(EmbeddedPostgresServer.jdbcUrl(0), user(), password());
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    public static String user() {
        return EmbeddedPostgresServer.USER;
    }

    public static String password() {
        return EmbeddedPostgresServer.PASSWORD;
    }
}
