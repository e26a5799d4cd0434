package dev.stockroom.platform.embedded;

import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.core.throttle.DelayThrottler;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
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

    private EmbeddedDatabaseProxy(NioReactor reactor, TcpCrusher crusher, String jdbcUrl) {
        this.reactor = reactor;
        this.crusher = crusher;
        this.jdbcUrl = jdbcUrl;
    }

    /** Starts the embedded database if no application has yet, and opens a proxy in front of it. */
    public static EmbeddedDatabaseProxy open() {
        return open(Duration.ZERO);
    }

    /**
     * Like {@link #open()}, with every packet held for {@code delay} in each direction: a round trip costs twice
     * that, as a database across a network does, where loopback costs next to nothing.
     */
    public static EmbeddedDatabaseProxy open(Duration delay) {
        String url = EmbeddedPostgresServer.jdbcUrl(0);
        Matcher database = HOST_PORT.matcher(url);
        if (!database.find()) {
            throw new IllegalStateException("Unexpected JDBC URL " + url);
        }
        try (ServerSocket free = new ServerSocket(0)) {
            int port = free.getLocalPort();
            free.close();
            NioReactor reactor = new NioReactor();
            TcpCrusherBuilder builder = TcpCrusherBuilder.builder().withReactor(reactor)
                    .withBindAddress("127.0.0.1", port)
                    .withConnectAddress(database.group(1), Integer.parseInt(database.group(2)));
            if (!delay.isZero()) {
                long micros = delay.toNanos() / 1_000;
                builder.withIncomingThrottlerFactory(address -> new DelayThrottler(micros, TimeUnit.MICROSECONDS))
                        .withOutgoingThrottlerFactory(address -> new DelayThrottler(micros, TimeUnit.MICROSECONDS));
            }
            TcpCrusher crusher = builder.buildAndOpen();
            return new EmbeddedDatabaseProxy(reactor, crusher, database.replaceFirst("//127.0.0.1:" + port + "/"));
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
