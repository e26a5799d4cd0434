package dev.stockroom.warehouse;

import dev.stockroom.stock.LockedStock;
import dev.stockroom.stock.MovementKind;
import dev.stockroom.stock.StockKey;
import dev.stockroom.stock.StockLevel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of the warehouse events, played on stock levels in memory; no Quarkus, no database. */
class EventPlayTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private static final StockKey NORTH = new StockKey("SKU", "NORTH");
    private static final StockKey SOUTH = new StockKey("SKU", "SOUTH");

    private final List<LockedStock.Locked> rows = new ArrayList<>();
    private final Set<String> locations = Set.of("NORTH", "SOUTH");
    private LockedStock stock;

    @Test
    void receipt_atUnknownLocation_isRefusedAsUnknownLocation() {
        EventPlay play = play(new WarehouseEvent.Received(key(), "SKU", "WEST", 5, null));

        assertThat(reason(play.run())).isEqualTo(Rejection.UNKNOWN_LOCATION);
    }

    @Test
    void receipt_whereTheSkuIsNew_createsTheStockLevel() {
        EventPlay play = play(new WarehouseEvent.Received(key(), "SKU", "NORTH", 5, null));

        assertThat(play.run()).isEmpty();
        play.commit();

        assertThat(onHand(NORTH)).isEqualTo(5);
        assertThat(play.movements()).singleElement().satisfies(m -> {
            assertThat(m.kind()).isEqualTo(MovementKind.RECEIVED);
            assertThat(m.onHandDelta()).isEqualTo(5);
        });
    }

    @Test
    void count_recordsTheDifferenceFromWhatWasOnHand() {
        given(NORTH, 10, 0, 0);
        EventPlay play = play(new WarehouseEvent.Counted(key(), "SKU", "NORTH", 7, null));

        assertThat(play.run()).isEmpty();
        play.commit();

        assertThat(onHand(NORTH)).isEqualTo(7);
        assertThat(play.movements()).singleElement().satisfies(m -> assertThat(m.onHandDelta()).isEqualTo(-3));
    }

    @Test
    void adjustment_belowZero_isRefused() {
        given(NORTH, 2, 0, 0);

        assertThat(reason(play(new WarehouseEvent.Adjusted(key(), "SKU", "NORTH", -3, "lost", null)).run()))
                .isEqualTo(Rejection.ON_HAND_BELOW_ZERO);
    }

    @Test
    void negativeAdjustment_whereNoStockLevel_isUnknownStockLevel() {
        assertThat(reason(play(new WarehouseEvent.Adjusted(key(), "SKU", "NORTH", -1, "lost", null)).run()))
                .isEqualTo(Rejection.UNKNOWN_STOCK_LEVEL);
    }

    @Test
    void transfer_whoseArrivalPassesTheLimit_changesNeitherSide() {
        // Given: the sending side could give 5, the receiving side cannot take them
        given(NORTH, 5, 0, 0);
        given(SOUTH, StockLevel.MAX_QUANTITY - 1, 0, 0);

        // When
        Optional<Refusal> refusal = play(new WarehouseEvent.Transferred(key(), "SKU", "NORTH", "SOUTH", 5, null)).run();

        // Then
        assertThat(reason(refusal)).isEqualTo(Rejection.ON_HAND_ABOVE_LIMIT);
        assertThat(onHand(NORTH)).isEqualTo(5);
        assertThat(onHand(SOUTH)).isEqualTo(StockLevel.MAX_QUANTITY - 1);
    }

    @Test
    void shipment_ofUnknownReservation_isUnknownReservation() {
        given(NORTH, 5, 0, 5);

        assertThat(reason(play(new WarehouseEvent.Shipped(key(), "SKU", "NORTH", 1, UUID.randomUUID(), null)).run()))
                .isEqualTo(Rejection.UNKNOWN_RESERVATION);
    }

    @Test
    void shrinkage_belowWhatIsPromised_isReportedOversold() {
        // Given: 10 on hand, 8 of them reserved
        given(NORTH, 10, 8, 0);
        EventPlay play = play(new WarehouseEvent.Counted(key(), "SKU", "NORTH", 6, null));

        // When
        assertThat(play.run()).isEmpty();
        play.commit();

        // Then
        assertThat(play.oversold()).singleElement().satisfies(level -> assertThat(level.onHand()).isEqualTo(6));
    }

    private EventPlay play(WarehouseEvent event) {
        if (stock == null) {
            stock = LockedStock.of(rows);
        }
        return new EventPlay(event, stock, locations, new HashMap<>(), NOW);
    }

    private void given(StockKey key, int onHand, int reserved, int committed) {
        rows.add(new LockedStock.Locked(new StockLevel(key.sku(), key.location(), onHand, reserved, committed, 0, 1,
                NOW), true, 1));
    }

    private int onHand(StockKey key) {
        return stock.level(key).orElseThrow().onHand();
    }

    private static EventKey key() {
        return new EventKey("/wms", UUID.randomUUID().toString());
    }

    private static Rejection reason(Optional<Refusal> refusal) {
        assertThat(refusal).isPresent();
        return refusal.get().reason();
    }
}
