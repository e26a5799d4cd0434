package dev.stockroom.availability;

import dev.stockroom.stock.StockLevelChanged;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;

/**
 * Keeps the local cache fresh after local writes: hears of each stock level a committed transaction changed and
 * applies the values the database returned. Rolled-back changes are never heard of.
 */
@ApplicationScoped
public class StockChangeListener {

    private final AvailabilityCache cache;

    StockChangeListener(AvailabilityCache cache) {
        this.cache = cache;
    }

    void onCommitted(@Observes(during = TransactionPhase.AFTER_SUCCESS) StockLevelChanged changed) {
        cache.apply(changed.level());
    }
}
