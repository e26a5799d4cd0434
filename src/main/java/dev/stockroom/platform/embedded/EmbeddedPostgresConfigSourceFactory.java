package dev.stockroom.platform.embedded;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory.ConfigurableConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Points the datasource at an embedded PostgreSQL in dev mode and tests, unless an external database is configured.
 *
 * <p>This is a Docker-free stand-in for Quarkus Dev Services. The embedded server library is a {@code provided}
 * dependency: it is on the class path of {@code quarkus:dev} and of the tests, and absent from the packaged
 * application. In the {@code prod} profile this factory contributes nothing and never touches the library.
 *
 * <p><b>Note:</b> Quarkus builds configuration several times per JVM (build step, runtime, each hot reload), each
 * time in a fresh class loader; {@link EmbeddedPostgresServer} keeps one server per JVM.
 */
public class EmbeddedPostgresConfigSourceFactory implements ConfigurableConfigSourceFactory<EmbeddedDatabaseConfig> {

    /** Above application.properties (250), below environment variables (300) and system properties (400). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context, EmbeddedDatabaseConfig config) {
        if (!wanted(context, config)) {
            return List.of();
        }
        String url = EmbeddedPostgresServer.jdbcUrl(config.port());
        return List.of(new PropertiesConfigSource(Map.of(
                "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", EmbeddedPostgresServer.USER,
                "quarkus.datasource.password", EmbeddedPostgresServer.PASSWORD),
                "embedded-postgresql", ORDINAL));
    }

    private static boolean wanted(ConfigSourceContext context, EmbeddedDatabaseConfig config) {
        boolean devOrTest = context.getProfiles().contains("dev") || context.getProfiles().contains("test");
        ConfigValue external = context.getValue("STOCKROOM_DB_URL");
        boolean externalSet = external != null && external.getValue() != null && !external.getValue().isBlank();
        return devOrTest && !externalSet && config.enabled();
    }
}
