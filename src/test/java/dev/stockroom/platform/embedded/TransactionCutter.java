package dev.stockroom.platform.embedded;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.netcrusher.core.filter.TransformFilter;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy (netcrusher) between the write pool and PostgreSQL that breaks one connection at a chosen point of a
 * transaction: the connection that sends a marker (a value the test's holds carry) is cut there. It reads the
 * PostgreSQL wire protocol only as far as looking for the marker and for {@code COMMIT}: the client's COMMIT
 * statement (visible as text while the driver does not prepare statements on the server, which the resource turns
 * off) and the server's {@code COMMIT} command tag.
 */
public class TransactionCutter implements QuarkusTestResourceLifecycleManager {

    /** Where the connection breaks. */
    public enum Cut {
        /** As the marker is sent: the statement never arrives and the transaction is rolled back. */
        MID_TRANSACTION,
        /** As that connection sends COMMIT: the COMMIT never arrives, so nothing commits. */
        BEFORE_COMMIT,
        /** As the server answers that connection's COMMIT: it committed, and the answer is lost. */
        AFTER_COMMIT
    }

    private static final Pattern HOST_PORT = Pattern.compile("//([^:/]+):(\\d+)/");
    private static final AtomicReference<Plan> PLAN = new AtomicReference<>();
    private static final Set<InetSocketAddress> MARKED = ConcurrentHashMap.newKeySet();
    private static NioReactor reactor;
    private static TcpCrusher crusher;

    private record Plan(Cut cut, String marker, CompletableFuture<Void> fired) {
    }

    @Override
    public Map<String, String> start() {
        Matcher database = HOST_PORT.matcher(EmbeddedPostgresServer.jdbcUrl(0));
        if (!database.find()) {
            throw new IllegalStateException("Unexpected JDBC URL");
        }
        try (ServerSocket free = new ServerSocket(0)) {
            int port = free.getLocalPort();
            free.close();
            reactor = new NioReactor();
            crusher = TcpCrusherBuilder.builder().withReactor(reactor)
                    .withBindAddress("127.0.0.1", port)
                    .withConnectAddress(database.group(1), Integer.parseInt(database.group(2)))
                    .withOutgoingTransformFilterFactory(client -> toServer(client))
                    .withIncomingTransformFilterFactory(client -> toClient(client))
                    .buildAndOpen();
            return Map.of("quarkus.datasource.jdbc.url", database.replaceFirst("//127.0.0.1:" + port + "/"),
                    "quarkus.datasource.jdbc.additional-jdbc-properties.prepareThreshold", "0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        crusher.close();
        reactor.close();
    }

    /** Cuts the next connection that sends {@code marker}, at {@code cut}; the future completes when it did. */
    public static CompletableFuture<Void> arm(Cut cut, String marker) {
        MARKED.clear();
        Plan plan = new Plan(cut, marker, new CompletableFuture<>());
        PLAN.set(plan);
        return plan.fired();
    }

    private static TransformFilter toServer(InetSocketAddress client) {
        return buffer -> {
            Plan plan = PLAN.get();
            if (plan == null) {
                return;
            }
            String sent = text(buffer);
            if (sent.contains(plan.marker())) {
                MARKED.add(client);
                if (plan.cut() == Cut.MID_TRANSACTION) {
                    cut(plan, client, buffer);
                    return;
                }
            }
            if (plan.cut() == Cut.BEFORE_COMMIT && MARKED.contains(client) && sent.contains("COMMIT")) {
                cut(plan, client, buffer);
            }
        };
    }

    private static TransformFilter toClient(InetSocketAddress client) {
        return buffer -> {
            Plan plan = PLAN.get();
            if (plan != null && plan.cut() == Cut.AFTER_COMMIT && MARKED.contains(client)
                    && text(buffer).contains("COMMIT")) {
                cut(plan, client, buffer);
            }
        };
    }

    /** Swallows what is passing and closes the connection, once per plan. */
    private static void cut(Plan plan, InetSocketAddress client, ByteBuffer buffer) {
        if (!PLAN.compareAndSet(plan, null)) {
            return;
        }
        buffer.position(buffer.limit());
        // Closed off the proxy's own thread, which is the one calling this filter.
        CompletableFuture.runAsync(() -> crusher.closeClient(client)).thenRun(() -> plan.fired().complete(null));
    }

    private static String text(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }
}
