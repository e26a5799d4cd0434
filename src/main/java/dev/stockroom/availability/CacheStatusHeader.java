package dev.stockroom.availability;

/**
 * RFC 9211 {@code Cache-Status} values: {@code stockroom; hit}, {@code stockroom; hit; detail=stale} (served past
 * its refresh time while a refresh runs) and {@code stockroom; fwd=miss; stored}.
 */
final class CacheStatusHeader {

    private CacheStatusHeader() {
    }

    static String of(CacheStatus status) {
        return switch (status) {
            case HIT -> "stockroom; hit";
            case STALE -> "stockroom; hit; detail=stale";
            case MISS -> "stockroom; fwd=miss; stored";
        };
    }
}
