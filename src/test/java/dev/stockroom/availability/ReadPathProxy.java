package dev.stockroom.availability;

import dev.stockroom.platform.embedded.EmbeddedDatabase;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.netcrusher.core.reactor.NioReactor;
import org.netcrusher.tcp.TcpCrusher;
import org.netcrusher.tcp.TcpCrusherBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.net.ServerSocket;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP fault proxy (netcrusher) between the read pool and PostgreSQL; the write pool keeps its direct connection.
 * Tests get the proxy through a field marked {@link Proxy}, and cut, freeze and reopen it.
 */
public class ReadPathProxy implements QuarkusTestResourceLifecycleManager {

    /** Marks the test field that receives the proxy. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    public @interface Proxy {
    }

    private NioReactor reactor;
    private TcpCrusher crusher;

    @Override
    public Map<String, String> start() {
        Matcher url = Pattern.compile("//([^:/]+):(\\d+)/").matcher(EmbeddedDatabase.jdbcUrl());
        if (!url.find()) {
            throw new IllegalStateException("Cannot read host and port of the embedded database");
        }
        try (ServerSocket free = new ServerSocket(0)) {
            int port = free.getLocalPort();
            free.close();
            reactor = new NioReactor();
            crusher = TcpCrusherBuilder.builder().withReactor(reactor)
                    .withBindAddress("127.0.0.1", port)
                    .withConnectAddress(url.group(1), Integer.parseInt(url.group(2)))
                    .buildAndOpen();
            return Map.of("stockroom.availability.read-pool.jdbc-url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                    // The circuit breaker waits in real time; half a second keeps the recovery test short.
                    "dev.stockroom.availability.ReadPoolLoader/load/CircuitBreaker/delay", "500");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(crusher, new TestInjector.AnnotatedAndMatchesType(Proxy.class, TcpCrusher.class));
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
}
