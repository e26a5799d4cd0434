package dev.stockroom.load.env;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

import java.util.List;
import java.util.Map;

/**
 * A real single-node Kafka (KRaft, combined broker and controller) in this JVM. The broker node can be shut down
 * and started again while the controller keeps the metadata: the service meets the same outage a rolling broker
 * restart gives it, and comes back to the same address.
 */
public final class Broker implements AutoCloseable {

    public static final String WAREHOUSE_EVENTS = "warehouse.stock-events";

    private final KafkaClusterTestKit kit;

    private Broker(KafkaClusterTestKit kit) {
        this.kit = kit;
    }

    static Broker start(int partitions) {
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
                    .setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            Broker broker = new Broker(kit);
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(WAREHOUSE_EVENTS, partitions, (short) 1),
                        new NewTopic(WAREHOUSE_EVENTS + ".dlq", 1, (short) 1),
                        new NewTopic("inventory.stock-changes", partitions, (short) 1))).all().get();
            }
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("Kafka did not start", e);
        }
    }

    public String bootstrapServers() {
        return kit.bootstrapServers();
    }

    /** Shuts the broker node down (the controller stays): clients see the broker gone. */
    public void stopBroker() {
        kit.brokers().values().forEach(broker -> {
            broker.shutdown();
            broker.awaitShutdown();
        });
    }

    /** Starts the broker node again on its former port and waits until it serves. */
    public void startBroker() {
        kit.brokers().values().forEach(broker -> broker.startup());
        try {
            kit.waitForReadyBrokers();
        } catch (Exception e) {
            throw new IllegalStateException("The broker did not come back", e);
        }
    }

    @Override
    public void close() throws Exception {
        kit.close();
    }
}
