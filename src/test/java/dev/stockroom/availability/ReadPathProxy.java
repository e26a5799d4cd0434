package dev.stockroom.availability;

import dev.stockroom.platform.embedded.EmbeddedDatabaseProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.netcrusher.tcp.TcpCrusher;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;

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

    private EmbeddedDatabaseProxy proxy;

    @Override
    public Map<String, String> start() {
        proxy = EmbeddedDatabaseProxy.open();
        return Map.of("stockroom.availability.read-pool.jdbc-url", proxy.jdbcUrl(),
                // The circuit breaker waits in real time; half a second keeps the recovery test short.
                "stockroom.availability.guard.circuit-breaker.delay", "500ms");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(proxy.crusher(), new TestInjector.AnnotatedAndMatchesType(Proxy.class,
                TcpCrusher.class));
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }
}
