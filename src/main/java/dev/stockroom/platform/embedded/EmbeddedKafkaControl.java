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
        withBrokerClassLoader(() -> kit.brokers().values().forEach(broker -> {
            broker.shutdown();
            broker.awaitShutdown();
        }));
    }

    @Override
    public void startBroker() {
        withBrokerClassLoader(() -> {
            kit.brokers().values().forEach(broker -> broker.startup());
            try {
                kit.waitForReadyBrokers();
            } catch (Exception e) {
                throw new IllegalStateException("Could not restart the embedded Kafka broker", e);
            }
        });
    }

    /**
     * The broker creates some of its parts by name through the thread's context class loader; called from a test,
     * that is a Quarkus class loader with its own copy of those classes, so switch to the broker's own.
     */
    private void withBrokerClassLoader(Runnable action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(kit.getClass().getClassLoader());
        try {
            action.run();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
