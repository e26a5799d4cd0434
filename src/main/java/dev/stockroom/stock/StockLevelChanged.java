package dev.stockroom.stock;

/**
 * A stock level as a write left it. Fired inside the writing transaction; observe it with
 * {@code @Observes(during = TransactionPhase.AFTER_SUCCESS)} to hear only of changes that committed.
 */
public record StockLevelChanged(StockLevel level) {
}
