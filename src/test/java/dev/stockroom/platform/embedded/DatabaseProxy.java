package dev.stockroom.platform.embedded;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.time.Duration;
import java.util.Map;

/**
 * Puts a TCP proxy between the service and the embedded PostgreSQL (both pools), so that a test can cut the
 * database link and restore it ({@link #cut()}, {@link #restore()}), or stall it ({@link #freeze()},
 * {@link #unfreeze()}), while the service runs.
 */
public class DatabaseProxy implements QuarkusTestResourceLifecycleManager {

    /** Init argument: microseconds every packet is held in each direction (default 0). */
    public static final String DELAY_MICROS = "delay-micros";

    private static EmbeddedDatabaseProxy proxy;
    private Duration delay = Duration.ZERO;

    @Override
    public void init(Map<String, String> args) {
        delay = Duration.ofNanos(Long.parseLong(args.getOrDefault(DELAY_MICROS, "0")) * 1_000);
    }

    @Override
    public Map<String, String> start() {
        proxy = EmbeddedDatabaseProxy.open(delay);
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

    /** The JDBC URL of the database itself, around the proxy: for a monitor that must not pay the delay. */
    public static String directJdbcUrl() {
        return EmbeddedPostgresServer.jdbcUrl(0);
    }
}
