package dev.stockroom.platform.embedded;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points the service at a database of its own in this JVM's embedded PostgreSQL, created empty for the test class
 * (Flyway migrates it at start), so that a test can choose how the database is made or which migrations run without
 * touching the database the other tests share.
 *
 * <p>Argument {@value #ICU_LOCALE}: create it with that ICU collation as its default, as managed PostgreSQL
 * services create databases with a language's collation rather than byte order. The ICU library ships inside the
 * embedded PostgreSQL binaries, so this needs nothing from the machine's own locales.
 */
public class FreshDatabase implements QuarkusTestResourceLifecycleManager {

    /** Init argument: an ICU locale such as {@code en-US-u-ka-shifted} for the database's default collation. */
    public static final String ICU_LOCALE = "icu-locale";

    private static final Pattern DATABASE = Pattern.compile("(//[^/]+/)([^?]+)");

    private String icuLocale;

    @Override
    public void init(Map<String, String> args) {
        icuLocale = args.get(ICU_LOCALE);
    }

    @Override
    public Map<String, String> start() {
        String server = EmbeddedPostgresServer.jdbcUrl(0);
        String name = "stockroom_" + UUID.randomUUID().toString().substring(0, 8);
        String locale = icuLocale == null ? ""
                : " LOCALE_PROVIDER icu ICU_LOCALE '" + icuLocale.replace("'", "") + "'";
        try (Connection c = DriverManager.getConnection(server, EmbeddedPostgresServer.USER,
                EmbeddedPostgresServer.PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " TEMPLATE template0 ENCODING 'UTF8'" + locale);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create a database of its own for the test", e);
        }
        Matcher database = DATABASE.matcher(server);
        if (!database.find()) {
            throw new IllegalStateException("Unexpected JDBC URL " + server);
        }
        return Map.of("quarkus.datasource.jdbc.url", database.replaceFirst("$1" + name));
    }

    @Override
    public void stop() {
        // The database goes with the embedded server when the JVM ends.
    }
}
