package dev.stockroom.stock;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Changes decided on locked stock levels in memory, and what a write would make of them; no database. */
class LockedStockTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00Z");
    private static final StockKey NORTH = new StockKey("SKU", "NORTH");
    private static final StockKey SOUTH = new StockKey("SKU", "SOUTH");

    @Test
    void create_thenApply_isInsertedWithItsChangesAndLeftOutOfTheUpdate() {
        // Given: a locked row at NORTH, none at SOUTH
        LockedStock stock = LockedStock.of(List.of(new LockedStock.Locked(
                new StockLevel("SKU", "NORTH", 10, 0, 0, 0, 3, NOW), true, 1)));

        // When: goods move from NORTH to a location where the SKU is new
        stock.apply(Movement.ofEvent(MovementKind.TRANSFERRED, "SKU", "NORTH", -4, 0, null, "e-1", null, NOW));
        stock.create(SOUTH);
        stock.apply(Movement.ofEvent(MovementKind.TRANSFERRED, "SKU", "SOUTH", 4, 0, null, "e-1", null, NOW));

        // Then: SOUTH is inserted with 4 on hand, only NORTH is updated, and both changes reach the ledger
        assertThat(stock.created()).singleElement().satisfies(level -> {
            assertThat(StockKey.of(level)).isEqualTo(SOUTH);
            assertThat(level.onHand()).isEqualTo(4);
        });
        assertThat(stock.netChanges()).singleElement().isEqualTo(new LockedStock.NetChange(NORTH, -4, 0, 0, 0));
        assertThat(stock.movements()).hasSize(2);
        assertThat(stock.level(NORTH)).hasValueSatisfying(level -> assertThat(level.onHand()).isEqualTo(6));
    }

    @Test
    void create_whereALevelIsLocked_isRefused() {
        LockedStock stock = LockedStock.of(List.of(new LockedStock.Locked(
                new StockLevel("SKU", "NORTH", 10, 0, 0, 0, 3, NOW), true, 1)));

        assertThatThrownBy(() -> stock.create(NORTH)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void hold_onACreatedLevel_isRefused() {
        // A created row was never locked: nothing may be sold from it in the transaction that creates it.
        LockedStock stock = LockedStock.of(List.of());
        stock.create(SOUTH);
        stock.apply(Movement.ofEvent(MovementKind.RECEIVED, "SKU", "SOUTH", 5, 0, null, "e-1", null, NOW));

        assertThat(stock.available(SOUTH)).isZero();
        assertThatThrownBy(() -> stock.hold(SOUTH, 1, null, NOW)).isInstanceOf(IllegalStateException.class);
    }
}
