package dev.stockroom.warehouse;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** How a Kafka record becomes a typed warehouse event, or a refusal with its reason; no Quarkus, no broker. */
class WarehouseEventParserTest {

    private final WarehouseEventParser parser = new WarehouseEventParser(new ObjectMapper());

    @Test
    void parse_binaryReceipt_isReceivedWithItsFields() {
        WarehouseEvent event = event(binary("SKU-1", "stock.received",
                "{\"sku\":\"SKU-1\",\"location\":\"WH-1\",\"quantity\":5}"));

        assertThat(event).isEqualTo(new WarehouseEvent.Received(new EventKey("/wms", "e-1"), "SKU-1", "WH-1", 5,
                event.record()));
    }

    @Test
    void parse_structuredTransfer_isTransferredBetweenBothLocations() {
        String value = "{\"specversion\":\"1.0\",\"id\":\"e-2\",\"source\":\"/wms\",\"type\":\"stock.transferred\","
                + "\"data\":{\"sku\":\"SKU-1\",\"from\":\"WH-1\",\"to\":\"WH-2\",\"quantity\":3}}";

        WarehouseEvent event = event(record("SKU-1", new RecordHeaders(), value));

        assertThat(event).isInstanceOf(WarehouseEvent.Transferred.class);
        assertThat(event.locations()).containsExactly("WH-1", "WH-2");
        assertThat(((WarehouseEvent.Transferred) event).quantity()).isEqualTo(3);
    }

    @Test
    void parse_eachType_isItsOwnRecord() {
        UUID reservation = UUID.randomUUID();
        assertThat(event(binary("S", "stock.counted", "{\"sku\":\"S\",\"location\":\"W\",\"quantity\":0}")))
                .isInstanceOf(WarehouseEvent.Counted.class);
        assertThat(event(binary("S", "stock.adjusted",
                "{\"sku\":\"S\",\"location\":\"W\",\"delta\":-2,\"reason\":\"lost\"}")))
                .isInstanceOfSatisfying(WarehouseEvent.Adjusted.class, a -> {
                    assertThat(a.delta()).isEqualTo(-2);
                    assertThat(a.reason()).isEqualTo("lost");
                });
        assertThat(event(binary("S", "stock.shipped", "{\"sku\":\"S\",\"location\":\"W\",\"quantity\":1,"
                + "\"reservationId\":\"" + reservation + "\"}")))
                .isInstanceOfSatisfying(WarehouseEvent.Shipped.class,
                        s -> assertThat(s.reservationId()).isEqualTo(reservation));
    }

    @Test
    void parse_notJson_isUnparseable() {
        assertThat(refusal(binary("S", "stock.received", "{nope"))).isEqualTo(Rejection.UNPARSEABLE);
    }

    @Test
    void parse_noEnvelopeAndNoHeaders_isUnparseable() {
        assertThat(refusal(record("S", new RecordHeaders(), "{\"sku\":\"S\"}"))).isEqualTo(Rejection.UNPARSEABLE);
    }

    @Test
    void parse_noSource_isMissingId() {
        RecordHeaders headers = headers("stock.received");
        headers.remove("ce_source");

        assertThat(refusal(record("S", headers, "{\"sku\":\"S\",\"location\":\"W\",\"quantity\":1}")))
                .isEqualTo(Rejection.MISSING_ID);
    }

    @Test
    void parse_unknownType_isUnknownType() {
        assertThat(refusal(binary("S", "stock.teleported", "{\"sku\":\"S\"}"))).isEqualTo(Rejection.UNKNOWN_TYPE);
    }

    @Test
    void parse_skuOfWrongShape_isInvalidField() {
        assertThat(refusal(binary("-S", "stock.received", "{\"sku\":\"-S\",\"location\":\"W\",\"quantity\":1}")))
                .isEqualTo(Rejection.INVALID_FIELD);
        String longSku = "S".repeat(65);
        assertThat(refusal(binary(longSku, "stock.received", "{\"sku\":\"" + longSku
                + "\",\"location\":\"W\",\"quantity\":1}")))
                .isEqualTo(Rejection.INVALID_FIELD);
    }

    @Test
    void parse_locationAtItsLongest_isAccepted_andOneLonger_isInvalidField() {
        String longest = "W".repeat(32);
        assertThat(event(binary("S", "stock.received", "{\"sku\":\"S\",\"location\":\"" + longest
                + "\",\"quantity\":1}")))
                .isInstanceOf(WarehouseEvent.Received.class);
        assertThat(refusal(binary("S", "stock.received", "{\"sku\":\"S\",\"location\":\"" + longest
                + "W\",\"quantity\":1}")))
                .isEqualTo(Rejection.INVALID_FIELD);
    }

    @Test
    void parse_keyIsNotTheSku_isKeyMismatch() {
        assertThat(refusal(binary("OTHER", "stock.received", "{\"sku\":\"S\",\"location\":\"W\",\"quantity\":1}")))
                .isEqualTo(Rejection.KEY_MISMATCH);
    }

    @Test
    void parse_zeroQuantityOrZeroDelta_isNonPositiveQuantity() {
        assertThat(refusal(binary("S", "stock.received", "{\"sku\":\"S\",\"location\":\"W\",\"quantity\":0}")))
                .isEqualTo(Rejection.NON_POSITIVE_QUANTITY);
        assertThat(refusal(binary("S", "stock.adjusted",
                "{\"sku\":\"S\",\"location\":\"W\",\"delta\":0,\"reason\":\"x\"}")))
                .isEqualTo(Rejection.NON_POSITIVE_QUANTITY);
    }

    @Test
    void parse_transferToItself_isSameLocation() {
        assertThat(refusal(binary("S", "stock.transferred",
                "{\"sku\":\"S\",\"from\":\"W\",\"to\":\"W\",\"quantity\":1}")))
                .isEqualTo(Rejection.SAME_LOCATION);
    }

    private WarehouseEvent event(ConsumerRecord<String, byte[]> record) {
        Parsed parsed = parser.parse(record);
        assertThat(parsed).isInstanceOf(Parsed.Event.class);
        return ((Parsed.Event) parsed).event();
    }

    private Rejection refusal(ConsumerRecord<String, byte[]> record) {
        Parsed parsed = parser.parse(record);
        assertThat(parsed).isInstanceOf(Parsed.Rejected.class);
        return ((Parsed.Rejected) parsed).refusal().reason();
    }

    private static ConsumerRecord<String, byte[]> binary(String key, String type, String data) {
        return record(key, headers(type), data);
    }

    private static RecordHeaders headers(String type) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes("e-1"));
        headers.add("ce_source", bytes("/wms"));
        headers.add("ce_type", bytes(type));
        return headers;
    }

    private static ConsumerRecord<String, byte[]> record(String key, RecordHeaders headers, String value) {
        return new ConsumerRecord<>("warehouse.stock-events", 0, 0, 0, TimestampType.CREATE_TIME, -1, -1, key,
                bytes(value), headers, Optional.empty());
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
