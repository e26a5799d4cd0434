package dev.stockroom.load.env;

import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.core.throttle.Throttler;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Duration;

/**
 * The TCP link between the service and PostgreSQL, through a netcrusher proxy on loopback, so that chaos can freeze
 * it (packets stop, sockets stay open: what a stalled network or a paused VM looks like), cut it (every connection
 * closed) or slow it (each buffer delayed in both directions).
 */
public final class DatabaseLink implements AutoCloseable {

    private final NioReactor reactor;
    private final TcpCrusher crusher;
    private final Delay delay = new Delay();

    private DatabaseLink(NioReactor reactor, TcpCrusher crusher) {
        this.reactor = reactor;
        this.crusher = crusher;
    }

    static DatabaseLink open(int listenPort, int databasePort) {
        try {
            NioReactor reactor = new NioReactor();
            DatabaseLink[] self = new DatabaseLink[1];
            TcpCrusher crusher = TcpCrusherBuilder.builder().withReactor(reactor)
                    .withBindAddress("127.0.0.1", listenPort)
                    .withConnectAddress("127.0.0.1", databasePort)
                    .withIncomingThrottlerFactory(address -> self[0].delay)
                    .withOutgoingThrottlerFactory(address -> self[0].delay)
                    .build();
            self[0] = new DatabaseLink(reactor, crusher);
            crusher.open();
            return self[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops every byte on every connection (and new connections) until {@link #unfreeze()}. */
    public void freeze() {
        crusher.freeze();
    }

    public void unfreeze() {
        crusher.unfreeze();
    }

    /** Closes every connection through the link; new ones are accepted at once. */
    public void cut() {
        crusher.closeAllPairs();
    }

    /** Delays every buffer crossing the link by this much, each way; zero removes the delay. */
    public void latency(Duration added) {
        delay.nanos = added.toNanos();
    }

    @Override
    public void close() {
        crusher.close();
        reactor.close();
    }

    /** A delay the chaos can change while connections are open (netcrusher asks it for every buffer). */
    private static final class Delay implements Throttler {
        private volatile long nanos;

        @Override
        public long calculateDelayNs(ByteBuffer buffer) {
            return nanos == 0 ? NO_DELAY_NS : nanos;
        }
    }
}
