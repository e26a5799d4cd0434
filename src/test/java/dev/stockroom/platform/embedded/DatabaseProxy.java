package dev.stockroom.platform.embedded;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Puts a TCP proxy between the service and the embedded PostgreSQL, so that a test can cut the database link and
 * restore it ({@link #cut()}, {@link #restore()}) while the service runs.
 */
public class DatabaseProxy implements QuarkusTestResourceLifecycleManager {

    private static final Pattern HOST_PORT = Pattern.compile("//([^:/]+):(\\d+)/");

    private static NioReactor reactor;
    private static TcpCrusher crusher;

    @Override
    public Map<String, String> start() {
        String url = EmbeddedPostgresServer.jdbcUrl(0);
        Matcher database = HOST_PORT.matcher(url);
        if (!database.find()) {
            throw new IllegalStateException("Unexpected JDBC URL " + url);
        }
        int proxyPort = freePort();
        try {
            reactor = new NioReactor();
            crusher = TcpCrusherBuilder.builder().withReactor(reactor)
                    .withBindAddress("localhost", proxyPort)
                    .withConnectAddress(database.group(1), Integer.parseInt(database.group(2)))
                    .buildAndOpen();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.datasource.jdbc.url", database.replaceFirst("//localhost:" + proxyPort + "/"));
    }

    @Override
    public void stop() {
        if (crusher != null) {
            crusher.close();
        }
        if (reactor != null) {
            reactor.close();
        }
    }

    /** Drops every open connection and refuses new ones, as a network partition or a database restart would. */
    public static void cut() {
        if (crusher.isOpen()) {
            crusher.close();
        }
    }

    /** Accepts connections again; does nothing when the link is up. */
    public static void restore() {
        if (!crusher.isOpen()) {
            crusher.open();
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
