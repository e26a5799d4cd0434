package dev.stockroom.warehouse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockroom.platform.Identifiers;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Reads a Kafka record as a CloudEvents 1.0 warehouse event, in binary mode ({@code ce_*} headers, the value is
 * the data) or structured mode (the value is the whole event as JSON). Checks everything that can be checked
 * without the database; what is wrong becomes a {@link Rejection}.
 *
 * <p>A little over 200 lines: one small method per field of the CloudEvents envelope and of each event type's data,
 * kept together so that the checks can be read against the table in docs/events.md.
 */
@ApplicationScoped
class WarehouseEventParser {

    private static final int MAX_ID = 128;
    private static final int MAX_SOURCE = 255;
    private static final int MAX_REASON = 200;

    private final ObjectMapper json;

    WarehouseEventParser(ObjectMapper json) {
        this.json = json;
    }

    /** The event the record holds, or why it holds none. */
    Parsed parse(ConsumerRecord<String, byte[]> record) {
        try {
            return new Parsed.Event(read(record));
        } catch (Invalid invalid) {
            return new Parsed.Rejected(new Refusal(invalid.reason, invalid.getMessage()));
        }
    }

    private WarehouseEvent read(ConsumerRecord<String, byte[]> record) {
        String id;
        String source;
        String type;
        String specVersion;
        JsonNode data;
        if (record.value() == null) {
            throw new Invalid(Rejection.UNPARSEABLE, "The record has no value");
        }
        String binaryType = header(record, "ce_type");
        if (binaryType != null) {
            id = header(record, "ce_id");
            source = header(record, "ce_source");
            type = binaryType;
            specVersion = header(record, "ce_specversion");
            data = readJson(record.value());
        } else {
            JsonNode event = readJson(record.value());
            if (!event.isObject() || !event.has("specversion")) {
                throw new Invalid(Rejection.UNPARSEABLE,
                        "Neither ce_ headers (binary mode) nor a CloudEvents JSON envelope"
                                + " (structured mode)");
            }
            id = text(event, "id");
            source = text(event, "source");
            type = text(event, "type");
            specVersion = text(event, "specversion");
            data = event.get("data");
        }
        if (!"1.0".equals(specVersion)) {
            throw new Invalid(Rejection.UNPARSEABLE, "specversion must be 1.0, was " + specVersion);
        }
        if (id == null || id.isBlank()) {
            throw new Invalid(Rejection.MISSING_ID, "The event has no id");
        }
        if (id.length() > MAX_ID) {
            throw new Invalid(Rejection.INVALID_FIELD, "id is longer than " + MAX_ID + " characters");
        }
        // Only (source, id) is unique across warehouse systems: without a source the event cannot be told apart.
        if (source == null || source.isBlank()) {
            throw new Invalid(Rejection.MISSING_ID, "The event has no source; its source and id identify it");
        }
        if (source.length() > MAX_SOURCE) {
            throw new Invalid(Rejection.INVALID_FIELD, "source is longer than " + MAX_SOURCE + " characters");
        }
        EventType eventType = EventType.of(type)
                .orElseThrow(() -> new Invalid(Rejection.UNKNOWN_TYPE, "Unknown event type '" + type + "'"));
        if (data == null || !data.isObject()) {
            throw new Invalid(Rejection.UNPARSEABLE, "The event has no JSON object as data");
        }
        String sku = code(data, "sku", Identifiers::isSku, Identifiers.SKU_RULE);
        if (record.key() == null || !record.key().equals(sku)) {
            // Order per SKU rests on the key: a record keyed otherwise, or not at all, may sit in another partition,
            // where it could overtake or be overtaken by the SKU's other events.
            throw new Invalid(Rejection.KEY_MISMATCH, record.key() == null
                    ? "The record has no key; the key must be the SKU '"
                            + sku + "'" : "The record key '" + record.key() + "' is not the SKU '" + sku + "'");
        }
        EventKey key = new EventKey(source, id);
        return switch (eventType) {
            case RECEIVED -> new WarehouseEvent.Received(key, sku, location(data, "location"),
                    positive(data, "quantity"), record);
            case COUNTED -> new WarehouseEvent.Counted(key, sku, location(data, "location"), count(data), record);
            case ADJUSTED -> new WarehouseEvent.Adjusted(key, sku, location(data, "location"), delta(data),
                    reason(data), record);
            case SHIPPED -> new WarehouseEvent.Shipped(key, sku, location(data, "location"),
                    positive(data, "quantity"), uuid(data, "reservationId"), record);
            case TRANSFERRED -> transfer(key, sku, data, record);
        };
    }

    private WarehouseEvent transfer(EventKey key, String sku, JsonNode data, ConsumerRecord<String, byte[]> record) {
        String from = location(data, "from");
        String to = location(data, "to");
        if (from.equals(to)) {
            throw new Invalid(Rejection.SAME_LOCATION, "A transfer from " + from + " to itself");
        }
        return new WarehouseEvent.Transferred(key, sku, from, to, positive(data, "quantity"), record);
    }

    private JsonNode readJson(byte[] value) {
        try {
            return json.readTree(value);
        } catch (IOException e) {
            throw new Invalid(Rejection.UNPARSEABLE, "Not JSON: "
                    + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() ? null : value.asText();
    }

    private static String location(JsonNode data, String field) {
        return code(data, field, Identifiers::isLocation, Identifiers.LOCATION_RULE);
    }

    /** A SKU or location code, checked by the same rule as in the HTTP API ({@link Identifiers}). */
    private static String code(JsonNode data, String field, Predicate<String> wellFormed, String rule) {
        String value = text(data, field);
        if (!wellFormed.test(value)) {
            throw new Invalid(Rejection.INVALID_FIELD, field + " " + rule);
        }
        return value;
    }

    private static int integer(JsonNode data, String field) {
        JsonNode value = data.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber()) {
            throw new Invalid(Rejection.INVALID_FIELD, field + " must be a whole number");
        }
        return value.intValue();
    }

    private static int positive(JsonNode data, String field) {
        int value = integer(data, field);
        if (value <= 0) {
            throw new Invalid(Rejection.NON_POSITIVE_QUANTITY, field + " must be positive, was " + value);
        }
        return value;
    }

    private static int count(JsonNode data) {
        int value = integer(data, "quantity");
        if (value < 0) {
            throw new Invalid(Rejection.NON_POSITIVE_QUANTITY, "A count cannot be negative, was " + value);
        }
        return value;
    }

    private static int delta(JsonNode data) {
        int value = integer(data, "delta");
        if (value == 0) {
            throw new Invalid(Rejection.NON_POSITIVE_QUANTITY, "An adjustment needs a non-zero delta");
        }
        return value;
    }

    private static String reason(JsonNode data) {
        String value = text(data, "reason");
        if (value == null || value.isBlank() || value.length() > MAX_REASON) {
            throw new Invalid(Rejection.INVALID_FIELD, "An adjustment needs a reason of 1-" + MAX_REASON
                    + " characters");
        }
        return value;
    }

    private static UUID uuid(JsonNode data, String field) {
        String value = text(data, field);
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new Invalid(Rejection.INVALID_FIELD, field + " must be a UUID");
        }
    }

    /** A record that is not a well-formed warehouse event. */
    private static final class Invalid extends RuntimeException {
        final Rejection reason;

        Invalid(Rejection reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }
}
