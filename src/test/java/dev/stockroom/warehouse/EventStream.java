package dev.stockroom.warehouse;

import dev.stockroom.support.Kafka;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * A reproducible stream of warehouse events over many SKUs and locations, with the stock each good event should
 * leave computed here, independently of the service: a plain model applied one event at a time.
 */
final class EventStream {

    /** The records to send, in order. */
    final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    /** Expected on-hand per "sku@location" once every good event is applied. */
    final Map<String, Integer> expected = new HashMap<>();
    /** Ledger rows expected per good event id (2 for a transfer, 1 otherwise). */
    final Map<String, Integer> ledgerRows = new HashMap<>();
    /** The bad records, by test id, with the reason the service must give. */
    final Map<String, String> badReasons = new HashMap<>();

    EventStream(String skuPrefix, List<String> locations, int skus, int goodEvents, double duplicateShare,
                double badShare, long seed) {
        Random random = new Random(seed);
        List<ProducerRecord<String, byte[]>> good = new ArrayList<>();
        for (int i = 0; i < goodEvents; i++) {
            String sku = skuPrefix + "-" + random.nextInt(skus);
            ProducerRecord<String, byte[]> record = goodEvent(random, sku, locations);
            records.add(record);
            good.add(record);
            if (random.nextDouble() < badShare / (1 - badShare)) {
                records.add(badEvent(random, skuPrefix + "-" + random.nextInt(skus), locations));
            }
        }
        // Duplicates: some good events delivered again, later in the stream (as a redelivery would be).
        int duplicates = (int) Math.round(goodEvents * duplicateShare);
        for (int i = 0; i < duplicates; i++) {
            int from = random.nextInt(good.size());
            int at = Math.min(records.size(), records.indexOf(good.get(from)) + 1 + random.nextInt(500));
            records.add(at, good.get(from));
        }
    }

    private ProducerRecord<String, byte[]> goodEvent(Random random, String sku, List<String> locations) {
        String id = UUID.randomUUID().toString();
        String location = locations.get(random.nextInt(locations.size()));
        int onHand = expected.getOrDefault(sku + "@" + location, 0);
        int kind = random.nextInt(10);
        String type;
        String data;
        if (kind < 5 || onHand == 0) {
            int q = 1 + random.nextInt(20);
            type = "stock.received";
            data = "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":" + q + "}";
            expected.merge(sku + "@" + location, q, Integer::sum);
        } else if (kind < 7) {
            int delta = random.nextBoolean() ? 1 + random.nextInt(5) : -(1 + random.nextInt(onHand));
            type = "stock.adjusted";
            data = "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"delta\":" + delta
                    + ",\"reason\":\"" + (delta > 0 ? "found" : "damaged") + "\"}";
            expected.merge(sku + "@" + location, delta, Integer::sum);
        } else if (kind < 8) {
            int counted = random.nextInt(onHand + 10);
            type = "stock.counted";
            data = "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":" + counted + "}";
            expected.put(sku + "@" + location, counted);
        } else {
            String to = locations.get((locations.indexOf(location) + 1 + random.nextInt(locations.size() - 1))
                    % locations.size());
            int q = 1 + random.nextInt(onHand);
            type = "stock.transferred";
            data = "{\"sku\":\"" + sku + "\",\"from\":\"" + location + "\",\"to\":\"" + to + "\",\"quantity\":" + q
                    + "}";
            expected.merge(sku + "@" + location, -q, Integer::sum);
            expected.merge(sku + "@" + to, q, Integer::sum);
            ledgerRows.put(id, 2);
        }
        ledgerRows.putIfAbsent(id, 1);
        return random.nextBoolean() ? Kafka.binary(id, type, sku, data) : Kafka.structured(id, type, sku, data);
    }

    private ProducerRecord<String, byte[]> badEvent(Random random, String sku, List<String> locations) {
        String id = UUID.randomUUID().toString();
        String location = locations.get(0);
        ProducerRecord<String, byte[]> record;
        String reason;
        switch (random.nextInt(6)) {
            case 0 -> {
                record = new ProducerRecord<>(Kafka.EVENTS, sku, "{not json".getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_specversion", bytes("1.0")).add("ce_id", bytes(id))
                        .add("ce_type", bytes("stock.received"));
                reason = "unparseable";
            }
            case 1 -> {
                record = Kafka.binary(id, "stock.teleported", sku, "{\"sku\":\"" + sku + "\"}");
                reason = "unknown-type";
            }
            case 2 -> {
                record = Kafka.structured("", "stock.received", sku,
                        "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":1}");
                reason = "missing-id";
            }
            case 3 -> {
                record = Kafka.binary(id, "stock.received", sku,
                        "{\"sku\":\"" + sku + "\",\"location\":\"" + location + "\",\"quantity\":0}");
                reason = "non-positive-quantity";
            }
            case 4 -> {
                record = Kafka.binary(id, "stock.received", sku,
                        "{\"sku\":\"" + sku + "\",\"location\":\"NOWHERE-" + id.substring(0, 6) + "\",\"quantity\":3}");
                reason = "unknown-location";
            }
            default -> {
                record = Kafka.structured(id, "stock.transferred", sku, "{\"sku\":\"" + sku + "\",\"from\":\""
                        + location + "\",\"to\":\"" + location + "\",\"quantity\":2}");
                reason = "same-location";
            }
        }
        String testId = "bad-" + UUID.randomUUID();
        record.headers().add("test-id", bytes(testId));
        badReasons.put(testId, reason);
        return record;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
