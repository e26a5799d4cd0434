package dev.stockroom.platform.embedded;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory.ConfigurableConfigSourceFactory;
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
public class EmbeddedKafkaConfigSourceFactory implements ConfigurableConfigSourceFactory<EmbeddedKafkaConfig> {

    /** Above application.properties (250), below environment variables (300) and system properties (400). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context, EmbeddedKafkaConfig config) {
        if (!wanted(context, config)) {
            return List.of();
        }
        String bootstrap = EmbeddedKafkaServer.bootstrapServers(config.port(), config.partitions());
        return List.of(new PropertiesConfigSource(Map.of("kafka.bootstrap.servers", bootstrap),
                "embedded-kafka", ORDINAL));
    }

    private static boolean wanted(ConfigSourceContext context, EmbeddedKafkaConfig config) {
        boolean devOrTest = context.getProfiles().contains("dev") || context.getProfiles().contains("test");
        ConfigValue external = context.getValue("KAFKA_BOOTSTRAP_SERVERS");
        boolean externalSet = external != null && external.getValue() != null && !external.getValue().isBlank();
        return devOrTest && !externalSet && config.enabled();
    }
}
