package dev.stockroom.platform.embedded;

import org.apache.kafka.common.test.KafkaClusterTestKit;

import java.lang.management.ManagementFactory;

/** The JMX face of the embedded broker: stop and start it (see {@link EmbeddedKafkaControlMBean}). */
public final class EmbeddedKafkaControl implements EmbeddedKafkaControlMBean {

    /** The MBean's object name. */
    public static final String NAME = "dev.stockroom:type=EmbeddedKafka";

    private final KafkaClusterTestKit kit;

    private EmbeddedKafkaControl(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    static void register(KafkaClusterTestKit kit) throws Exception {
        ManagementFactory.getPlatformMBeanServer().registerMBean(new EmbeddedKafkaControl(kit),
                new javax.management.ObjectName(NAME));
    }

    @Override
    public void stopBroker() {
        kit.brokers().values().forEach(broker -> {
            broker.shutdown();
            broker.awaitShutdown();
        });
    }

    @Override
    public void startBroker() {
        try {
            kit.brokers().values().forEach(broker -> broker.startup());
            kit.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("Could not restart the embedded Kafka broker", e);
        }
    }
}
