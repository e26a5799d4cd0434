package dev.stockroom.platform.embedded;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.common.utils.Exit;

import java.util.List;
import java.util.Map;

/**
 * One embedded single-node Kafka broker (KRaft, broker and controller combined) per JVM, started on first use with
 * the service's topics, and stopped when the JVM exits. With a fixed port (dev mode), a {@link PortForwarder} makes it
 * reachable there too.
 *
 * <p>Like {@link EmbeddedPostgresServer}, it remembers the running broker in a system property, which every Quarkus
 * class loader shares. Tests that need a broker outage stop and start it through JMX ({@link EmbeddedKafkaControl}),
 * which no class loader has to share either.
 */
final class EmbeddedKafkaServer {

    /** Outside the {@code stockroom.*} keys: a marker between class loaders, not a setting. */
    private static final String BOOTSTRAP_PROPERTY = "dev.stockroom.embedded.running-kafka-bootstrap";

    private EmbeddedKafkaServer() {
    }

    static synchronized String bootstrapServers(int port, int partitions) {
        String running = System.getProperty(BOOTSTRAP_PROPERTY);
        if (running != null) {
            return running;
        }
        // The broker halts the process on what it takes for a fatal fault, such as a failed log directory, and its
        // test kit deletes that directory as the JVM exits, which can race the broker's last writes: a finished test
        // run must not end with the broker's exit code. The process is the service's (dev mode, tests), not the
        // broker's: say so on stderr and let the process go on.
        Exit.Procedure noHalt = (status, message) -> System.err.printf(
                "Embedded Kafka broker asked to end the process (status %d): %s%n", status, message);
        Exit.setHaltProcedure(noHalt);
        Exit.setExitProcedure(noHalt);
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                    .build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "4")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("transaction.state.log.num.partitions", "4")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .setConfigProp("num.partitions", String.valueOf(partitions))
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            String bootstrap = kit.bootstrapServers();
            createTopics(bootstrap, partitions);
            if (port > 0) {
                // A fixed, documented address in dev mode, so that kcat and the console tools can reach the broker.
                PortForwarder.start(port, bootstrap);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> close(kit), "embedded-kafka-stop"));
            EmbeddedKafkaControl.register(kit);
            System.setProperty(BOOTSTRAP_PROPERTY, bootstrap);
            return bootstrap;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the embedded Kafka broker", e);
        }
    }

    private static void createTopics(String bootstrap, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(
                    new NewTopic("warehouse.stock-events", partitions, (short) 1),
                    new NewTopic("warehouse.stock-events.dlq", 1, (short) 1),
                    new NewTopic("inventory.stock-changes", partitions, (short) 1))).all().get();
        }
    }

    private static void close(KafkaClusterTestKit kit) {
        try {
            kit.close();
        } catch (Exception ignored) {
            // The JVM is exiting; the log directories are temporary ones.
        }
    }
}
