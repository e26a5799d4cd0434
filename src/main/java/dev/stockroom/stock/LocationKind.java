package dev.stockroom.stock;

/** What a location is; both kinds hold stock that can be sold. */
public enum LocationKind {
    WAREHOUSE,
    STORE
}
