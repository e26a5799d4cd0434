package dev.stockroom.stock;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** What is available at one stock level, at the ends of the quantities' range. */
class StockLevelTest {

    @Test
    void available_promisesFarAboveWhatIsOnHand_isZero() {
        // Shrinkage left nothing on hand under the largest promises a stock level can carry.
        StockLevel level = new StockLevel("SKU", "WH", 0, Integer.MAX_VALUE, 0, 1_000_000_000, 1, Instant.EPOCH);

        assertThat(level.available()).isZero();
    }

    @Test
    void available_everythingOnHandFree_isAllOfIt() {
        StockLevel level = new StockLevel("SKU", "WH", Integer.MAX_VALUE, 0, 0, 0, 1, Instant.EPOCH);

        assertThat(level.available()).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void available_atInactiveLocation_isZero() {
        StockLevel level = new StockLevel("SKU", "WH", 10, 1, 1, 1, 1, Instant.EPOCH);

        assertThat(level.available(true)).isEqualTo(7);
        assertThat(level.available(false)).isZero();
    }
}
