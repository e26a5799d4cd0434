package dev.stockroom.platform.embedded;

import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.core.throttle.Throttler;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP fault proxy (netcrusher) in front of this JVM's embedded PostgreSQL, started before the application so
 * that test resources can point a pool at it. Tests cut, freeze and reopen {@link #crusher()}.
 */
public final class EmbeddedDatabaseProxy implements AutoCloseable {

    private static final Pattern HOST_PORT = Pattern.compile("//([^:/]+):(\\d+)/");

    private final NioReactor reactor;
    private final TcpCrusher crusher;
    private final String jdbcUrl;
    private final AtomicLong delayNanos;

    private EmbeddedDatabaseProxy(NioReactor reactor, TcpCrusher crusher, String jdbcUrl, AtomicLong delayNanos) {
        this.reactor = reactor;
        this.crusher = crusher;
        this.jdbcUrl = jdbcUrl;
        this.delayNanos = delayNanos;
    }

    /**
     * Holds every packet for {@code delay} in each direction from now on, open connections included: a round trip
     * then costs twice that, as with a database across a network, where loopback costs next to nothing.
     */
    public void delay(Duration delay) {
        delayNanos.set(delay.toNanos());
    }

    /** Starts the embedded database if no application has yet, and opens a proxy in front of it. */
    public static EmbeddedDatabaseProxy open() {
        String url = EmbeddedPostgresServer.jdbcUrl(0);
        Matcher database = HOST_PORT.matcher(url);
        if (!database.find()) {
            throw new IllegalStateException("Unexpected JDBC URL " + url);
        }
        try (ServerSocket free = new ServerSocket(0)) {
            int port = free.getLocalPort();
            free.close();
            NioReactor reactor = new NioReactor();
            AtomicLong delayNanos = new AtomicLong();
            // Every packet in either direction waits the current delay (none until a test sets one).
            Throttler delay = buffer -> delayNanos.get();
            TcpCrusherBuilder builder = TcpCrusherBuilder.builder().withReactor(reactor)
                    .withBindAddress("127.0.0.1", port)
                    .withConnectAddress(database.group(1), Integer.parseInt(database.group(2)))
                    .withIncomingThrottlerFactory(address -> delay)
                    .withOutgoingThrottlerFactory(address -> delay);
            TcpCrusher crusher = builder.buildAndOpen();
            return new EmbeddedDatabaseProxy(reactor, crusher, database.replaceFirst("//127.0.0.1:" + port + "/"),
                    delayNanos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JDBC URL that reaches the database through the proxy. */
    public String jdbcUrl() {
        return jdbcUrl;
    }

    public TcpCrusher crusher() {
        return crusher;
    }

    @Override
    public void close() {
        crusher.close();
        reactor.close();
    }
}
