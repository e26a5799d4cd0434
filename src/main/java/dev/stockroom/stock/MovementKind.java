package dev.stockroom.stock;

/** Why a stock level changed; one ledger row per change. */
public enum MovementKind {
    /** A hold placed: reserved up. */
    HOLD,
    /** A hold committed to an order: reserved down, committed up. */
    COMMIT,
    /** A hold released by the storefront: reserved down. */
    RELEASE,
    /** A hold that ran out of time: reserved down. */
    EXPIRE,
    /** A committed order cancelled: committed down. */
    CANCEL,
    /** An audited correction of on-hand or safety stock through the API. */
    CORRECTION,
    /** Goods arrived at a location (warehouse event {@code stock.received}): on-hand up. */
    RECEIVED,
    /** A cycle count set on-hand (warehouse event {@code stock.counted}); the row carries the difference. */
    COUNTED,
    /** On-hand changed for a stated reason: damaged, lost, found, … (warehouse event {@code stock.adjusted}). */
    ADJUSTED,
    /** Committed goods left the building (warehouse event {@code stock.shipped}): on-hand and committed down. */
    SHIPPED,
    /** Goods moved between locations (warehouse event {@code stock.transferred}): one row on each side. */
    TRANSFERRED
}
