package dev.stockroom.platform.embedded;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Puts a TCP proxy between the service and the embedded PostgreSQL, so that a test can cut the database link and
 * restore it ({@link #cut()}, {@link #restore()}) while the service runs.
 */
public class DatabaseProxy implements QuarkusTestResourceLifecycleManager {

    private static EmbeddedDatabaseProxy proxy;

    @Override
    public Map<String, String> start() {
        proxy = EmbeddedDatabaseProxy.open();
        return Map.of("quarkus.datasource.jdbc.url", proxy.jdbcUrl());
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Drops every open connection and refuses new ones, as a network partition or a database restart would. */
    public static void cut() {
        if (proxy.crusher().isOpen()) {
            proxy.crusher().close();
        }
    }

    /** Accepts connections again; does nothing when the link is up. */
    public static void restore() {
        if (!proxy.crusher().isOpen()) {
            proxy.crusher().open();
        }
    }
}
