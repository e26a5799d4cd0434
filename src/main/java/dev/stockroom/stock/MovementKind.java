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
    CORRECTION
}
