package dev.stockroom.availability;

import java.util.concurrent.CompletableFuture;

/**
 * Fills the cache: loads the entry of a SKU, stores it, and completes with what was stored. Callers that ask for a
 * SKU already being loaded share its load. The service has one implementation, {@link BatchedEntryLoader}.
 */
interface EntryLoader {

    CompletableFuture<Entry> load(String sku);
}
