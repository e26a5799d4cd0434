package dev.stockroom.availability;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockroom.outbox.StockChanged;
import dev.stockroom.stock.StockLevel;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.io.IOException;

/**
 * Keeps this replica's cache fresh after other replicas' writes: applies every {@code stock.changed} event of
 * {@code inventory.stock-changes}. Each replica reads the topic in a consumer group of its own, from the moment it
 * starts (what happened before, its cache loads from the database). Events carry the per-(sku, location) version,
 * so an event older than the cached level — a late one, a duplicate, or this replica's own write coming back — is
 * ignored.
 */
@ApplicationScoped
public class RemoteStockChangeListener {

    /** The channel name; its Kafka settings are in application.properties. */
    public static final String CHANNEL = "inventory-stock-changes";

    private static final Logger LOG = Logger.getLogger(RemoteStockChangeListener.class);

    private final AvailabilityCache cache;
    private final ObjectMapper json;

    RemoteStockChangeListener(AvailabilityCache cache, ObjectMapper json) {
        this.cache = cache;
        this.json = json;
    }

    // In batches: a warehouse burst publishes thousands of changes a second, and each one is a map update here.
    @Incoming(CHANNEL)
    void onChanged(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            StockChanged change;
            try {
                change = json.readValue(record.value(), StockChanged.class);
            } catch (IOException e) {
                // Our own relay writes this topic; an unreadable event is a bug to see, not a reason to stop.
                LOG.warnf("Ignoring an unreadable stock.changed event: %s", e.getMessage());
                continue;
            }
            cache.apply(new StockLevel(change.sku(), change.location(), change.onHand(), change.reserved(),
                    change.committed(), change.safetyStock(), change.version(), change.changedAt()));
        }
    }
}
