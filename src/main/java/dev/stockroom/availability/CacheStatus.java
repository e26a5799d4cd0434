package dev.stockroom.availability;

/** How a read was served, as told in the RFC 9211 {@code Cache-Status} header and the reads metric. */
public enum CacheStatus {
    /** From an entry within its refresh interval. */
    HIT,
    /** From an entry past its refresh time and within the staleness bound, while a refresh runs. */
    STALE,
    /** Loaded from the database for this read. */
    MISS;

    public String tag() {
        return name().toLowerCase();
    }

    /** The worse of two statuses: a response is as fresh as its stalest part. */
    CacheStatus and(CacheStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
