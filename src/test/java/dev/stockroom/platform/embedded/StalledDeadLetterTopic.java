package dev.stockroom.platform.embedded;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * Gives the service a dead-letter topic that does not exist, on the embedded broker that creates no topic on
 * demand: the dead-letter producer waits for the topic's metadata, which no retry can bring, until the test creates
 * it ({@link #createDeadLetterTopic()}). The main broker stays up for everything else. Warehouse events come from an
 * input topic of this test's own (one partition), so that no other test's records share its batches.
 */
public class StalledDeadLetterTopic implements QuarkusTestResourceLifecycleManager {

    private static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    /** The input topic the service consumes in this test. */
    public static final String EVENTS = "warehouse.stock-events.stall-" + SUFFIX;
    /** The dead-letter topic the service is told to use; missing until {@link #createDeadLetterTopic()}. */
    public static final String DLQ = "warehouse.stock-events.dlq-stall-" + SUFFIX;

    private static String bootstrap;

    @Override
    public Map<String, String> start() {
        bootstrap = EmbeddedKafkaServer.bootstrapServers(0, 3);
        create(EVENTS);
        return Map.of("mp.messaging.incoming.warehouse-stock-events.topic", EVENTS,
                "stockroom.warehouse.dead-letter-topic", DLQ);
    }

    @Override
    public void stop() {
        // The topics go with the broker at the end of the run.
    }

    public static boolean deadLetterTopicExists() {
        try (Admin admin = admin()) {
            return admin.listTopics().names().get().contains(DLQ);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ends the stall: the dead-letter producer's next attempt finds the topic. */
    public static void createDeadLetterTopic() {
        create(DLQ);
    }

    private static void create(String topic) {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Could not create " + topic, e);
        }
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }
}
