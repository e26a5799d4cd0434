package dev.stockroom.availability;

import dev.stockroom.stock.StockLevel;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A cache entry: its view, a level applied to it, and a fresh load merged over what was cached. */
class EntryTest {

    private static final Instant EARLIER = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant LATER = Instant.parse("2026-01-01T10:00:05Z");

    private static CachedLevel level(String location, int onHand, int reserved, long version, boolean active) {
        return new CachedLevel(new StockLevel("SKU-1", location, onHand, reserved, 0, 0, version, EARLIER),
                location.equals("WH-A") ? 1 : 2, active);
    }

    private static Entry entry(Instant asOf, long loadedNanos, CachedLevel... levels) {
        return Entry.of("SKU-1", List.of(levels), asOf, loadedNanos, loadedNanos + 5_000, new AtomicBoolean());
    }

    @Test
    void of_levels_viewSumsTheActiveLocationsOnly() {
        // Given / When: 10 available at an active location, 7 at an inactive one
        Entry entry = entry(EARLIER, 0, level("WH-A", 12, 2, 1, true), level("WH-B", 7, 0, 1, false));

        // Then: the inactive location's units are on hand but not available
        assertThat(entry.known()).isTrue();
        assertThat(entry.view().onHand()).isEqualTo(19);
        assertThat(entry.view().available()).isEqualTo(10);
        assertThat(entry.view().asOf()).isEqualTo(EARLIER);
    }

    @Test
    void of_noLevels_isAnUnknownSkuWithoutAView() {
        Entry entry = entry(EARLIER, 0);

        assertThat(entry.known()).isFalse();
        assertThat(entry.view()).isNull();
    }

    @Test
    void with_newerLevel_replacesItsLocationAndKeepsTheLoadTimes() {
        // Given
        Entry cached = entry(EARLIER, 100, level("WH-A", 10, 0, 1, true), level("WH-B", 5, 0, 1, true));

        // When: a hold of 3 at WH-A committed as version 2
        Entry applied = cached.with(level("WH-A", 10, 3, 2, true).level());

        // Then
        assertThat(applied.at("WH-A").level().reserved()).isEqualTo(3);
        assertThat(applied.at("WH-A").priority()).isEqualTo(1);
        assertThat(applied.at("WH-B")).isEqualTo(cached.at("WH-B"));
        assertThat(applied.view().available()).isEqualTo(12);
        assertThat(applied.loadedNanos()).isEqualTo(100);
        assertThat(applied.refreshDueNanos()).isEqualTo(cached.refreshDueNanos());
        assertThat(applied.refreshing()).isSameAs(cached.refreshing());
    }

    @Test
    void mergedInto_cachedLevelNewerThanTheLoad_keepsTheCachedLevel() {
        // Given: a load that read version 4 at WH-A, while a write already applied version 5
        Entry cached = entry(EARLIER, 100, level("WH-A", 10, 5, 5, true));
        Entry loaded = entry(LATER, 200, level("WH-A", 10, 4, 4, true), level("WH-B", 3, 0, 1, true));

        // When
        Entry merged = loaded.mergedInto(cached);

        // Then: per location the higher version wins; the entry's times are the load's
        assertThat(merged.at("WH-A").level().version()).isEqualTo(5);
        assertThat(merged.at("WH-A").level().reserved()).isEqualTo(5);
        assertThat(merged.at("WH-B").level().version()).isEqualTo(1);
        assertThat(merged.asOf()).isEqualTo(LATER);
        assertThat(merged.loadedNanos()).isEqualTo(200);
        assertThat(merged.view().available()).isEqualTo(8);
    }

    @Test
    void mergedInto_cachedLevelOlderOrAsNew_takesTheLoad() {
        Entry cached = entry(EARLIER, 100, level("WH-A", 10, 1, 4, true));
        Entry loaded = entry(LATER, 200, level("WH-A", 10, 2, 4, true));

        assertThat(loaded.mergedInto(cached).at("WH-A").level().reserved()).isEqualTo(2);
    }

    @Test
    void mergedInto_locationGoneFromTheLoad_isDropped() {
        // Given: the load no longer has WH-B
        Entry cached = entry(EARLIER, 100, level("WH-A", 10, 0, 1, true), level("WH-B", 5, 0, 9, true));
        Entry loaded = entry(LATER, 200, level("WH-A", 10, 0, 1, true));

        // Then: the load decides which locations there are
        assertThat(loaded.mergedInto(cached).levels()).extracting(l -> l.level().location()).containsExactly("WH-A");
    }

    @Test
    void mergedInto_nothingCached_isTheLoadItself() {
        Entry loaded = entry(LATER, 200, level("WH-A", 10, 0, 1, true));

        assertThat(loaded.mergedInto(null)).isSameAs(loaded);
    }
}
