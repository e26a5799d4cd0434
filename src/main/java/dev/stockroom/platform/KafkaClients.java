package dev.stockroom.platform;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.util.HashMap;
import java.util.Map;

/**
 * Creates plain Kafka producers from the shared {@code kafka.*} settings (bootstrap servers, SASL, TLS), for the
 * places that need control over sending that a messaging channel does not give: the dead-letter topic and the
 * outbox relay.
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> shared;

    @Inject
    KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> shared) {
        this.shared = shared;
    }

    /** A producer of string keys and byte values; {@code overrides} win over the shared settings. */
    public KafkaProducer<String, byte[]> producer(String clientId, Map<String, Object> overrides) {
        Map<String, Object> config = new HashMap<>();
        shared.forEach((key, value) -> {
            // The map also holds consumer- and channel-level keys; a producer warns about those it does not know.
            if (ProducerConfig.configNames().contains(key) || key.startsWith("sasl.") || key.startsWith("ssl.")
                    || key.equals("security.protocol")) {
                config.put(key, value);
            }
        });
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.putAll(overrides);
        return new KafkaProducer<>(config);
    }
}
