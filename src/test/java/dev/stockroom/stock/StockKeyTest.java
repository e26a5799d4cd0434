package dev.stockroom.stock;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The one lock order: byte order of UTF-8, which PostgreSQL's {@code COLLATE "C"} also follows. */
class StockKeyTest {

    @Test
    void lockOrder_skusALanguageCollationSortsOtherwise_byteOrder() {
        List<StockKey> keys = new ArrayList<>(List.of(new StockKey("alpha", "WH"), new StockKey("SHOERACK-1", "WH"),
                new StockKey("Zeta", "WH"), new StockKey("SHOE-RED-42", "WH")));

        keys.sort(null);

        assertThat(keys).extracting(StockKey::sku).containsExactly("SHOE-RED-42", "SHOERACK-1", "Zeta", "alpha");
    }

    @Test
    void lockOrder_sameSku_byLocationThenAPrefixFirst() {
        List<StockKey> keys = new ArrayList<>(List.of(new StockKey("A", "WH-B"), new StockKey("A-1", "WH-A"),
                new StockKey("A", "WH-A")));

        keys.sort(null);

        assertThat(keys).containsExactly(new StockKey("A", "WH-A"), new StockKey("A", "WH-B"),
                new StockKey("A-1", "WH-A"));
    }

    @Test
    void byteOrder_charactersBeyondTheBasicPlane_afterThoseBelowIt() {
        // UTF-16 puts U+1F600 (a surrogate pair, 0xD83D...) before U+FF21; UTF-8 bytes and code points after it.
        String fullwidthA = "\uFF21";
        String emoji = new String(Character.toChars(0x1F600));
        assertThat(fullwidthA.compareTo(emoji)).isPositive();

        assertThat(Stream.of(emoji, fullwidthA).sorted(StockKey.BYTE_ORDER)).containsExactly(fullwidthA, emoji);
        assertThat(Arrays.compareUnsigned(fullwidthA.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                emoji.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isNegative();
    }

    @Test
    void lockOrder_lineWithoutLocation_afterTheSkusLocatedLines() {
        record Line(String sku, String location) {
        }
        List<Line> lines = new ArrayList<>(List.of(new Line("B", null), new Line("A", null), new Line("A", "WH")));

        lines.sort(StockKey.lockOrder(Line::sku, Line::location));

        assertThat(lines).containsExactly(new Line("A", "WH"), new Line("A", null), new Line("B", null));
    }
}
