package dev.stockroom.platform.embedded;

/**
 * Stops and starts the embedded broker, so that tests can take it away from the service. Registered with the
 * platform MBean server as {@value EmbeddedKafkaControl#NAME}, which every class loader can reach by name.
 */
public interface EmbeddedKafkaControlMBean {

    void stopBroker();

    void startBroker();
}
