package dev.stockroom.platform.embedded;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.Map;

/**
 * Points every Kafka client at an embedded broker in dev mode and tests, unless {@code KAFKA_BOOTSTRAP_SERVERS}
 * names an external cluster.
 *
 * <p>The Docker-free stand-in for Kafka Dev Services, built like {@link EmbeddedPostgresConfigSourceFactory}: the
 * broker library is a {@code provided} dependency, so the packaged application has no broker, and in the
 * {@code prod} profile this factory contributes nothing and never touches the library.
 */
public class EmbeddedKafkaConfigSourceFactory implements ConfigSourceFactory {

    /** Above application.properties (250), below environment variables (300) and system properties (400). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!wanted(context)) {
            return List.of();
        }
        int port = intValue(context.getValue("stockroom.embedded-kafka.port"), 0);
        int partitions = intValue(context.getValue("stockroom.embedded-kafka.partitions"), 3);
        String bootstrap = EmbeddedKafkaServer.bootstrapServers(port, partitions);
        return List.of(new PropertiesConfigSource(Map.of("kafka.bootstrap.servers", bootstrap),
                "embedded-kafka", ORDINAL));
    }

    private static boolean wanted(ConfigSourceContext context) {
        boolean devOrTest = context.getProfiles().contains("dev") || context.getProfiles().contains("test");
        boolean external = present(context.getValue("KAFKA_BOOTSTRAP_SERVERS"));
        ConfigValue enabled = context.getValue("stockroom.embedded-kafka.enabled");
        boolean disabled = present(enabled) && "false".equalsIgnoreCase(enabled.getValue().trim());
        return devOrTest && !external && !disabled;
    }

    private static boolean present(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    private static int intValue(ConfigValue value, int fallback) {
        return present(value) ? Integer.parseInt(value.getValue().trim()) : fallback;
    }
}
