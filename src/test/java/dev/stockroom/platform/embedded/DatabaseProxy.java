package dev.stockroom.platform.embedded;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Duration;
import java.util.Map;

/**
 * Puts a TCP proxy between the service and the embedded PostgreSQL (both pools), so that a test can cut the
 * database link and restore it ({@link #cut()}, {@link #restore()}), stall it ({@link #freeze()},
 * {@link #unfreeze()}) or slow it down ({@link #delay}), while the service runs.
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

    /**
     * Stalls the link: open connections stay open but carry nothing, and new ones are not accepted, as when the
     * database stops answering for a while (a long checkpoint, a failover, a saturated server).
     */
    public static void freeze() {
        proxy.crusher().freeze();
    }

    /** Lets the stalled link carry its bytes again; what was sent meanwhile arrives now. */
    public static void unfreeze() {
        proxy.crusher().unfreeze();
    }

    /** Delays every packet in each direction from now on (see {@link EmbeddedDatabaseProxy#delay}); zero ends it. */
    public static void delay(Duration delay) {
        proxy.delay(delay);
    }

    /** The JDBC URL of the database itself, around the proxy: for a monitor that must not pay the delay. */
    public static String directJdbcUrl() {
        return EmbeddedPostgresServer.jdbcUrl(0);
    }
}
