package dev.stockroom.reservation;

import dev.stockroom.stock.StockKey;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * A hold waiting for its decision: the request as normalized, the id its reservation will have, and where its
 * answer goes.
 *
 * @param idempotencyKey the client's key, if it sent one
 * @param fingerprint    what makes a retry under the same key "the same request"
 * @param arrived        when it was submitted, by the application clock; its deadline runs from here
 */
record PendingHold(UUID id, String idempotencyKey, String fingerprint, HoldRequest request, Instant arrived,
                   CompletableFuture<ReservationService.HoldOutcome> answer) {

    /** Lines in the lock order of their stock rows; lines without location sort after those of their SKU. */
    static final Comparator<HoldRequest.Line> LINE_ORDER = Comparator
            .comparing(HoldRequest.Line::sku, StockKey.BYTE_ORDER)
            .thenComparing(HoldRequest.Line::location, Comparator.nullsLast(StockKey.BYTE_ORDER));

    PendingHold(UUID id, String idempotencyKey, String fingerprint, HoldRequest request, Instant arrived) {
        this(id, idempotencyKey, fingerprint, request, arrived, new CompletableFuture<>());
    }

    List<HoldRequest.Line> linesInLockOrder() {
        return request.lines().stream().sorted(LINE_ORDER).toList();
    }

    /** The SKU whose stock row this hold would lock first; it decides which writer takes the hold. */
    String firstSku() {
        return linesInLockOrder().get(0).sku();
    }

    /** Whether it is one line at a named location, the commonest hold, which has a shorter way (HoldTransaction). */
    boolean oneLocatedLine() {
        return request.lines().size() == 1 && request.lines().get(0).location() != null;
    }

    /** The stock rows its lines name. */
    Set<StockKey> namedKeys() {
        Set<StockKey> keys = new TreeSet<>();
        request.lines().stream().filter(l -> l.location() != null)
                .forEach(l -> keys.add(new StockKey(l.sku(), l.location())));
        return keys;
    }

    /** The SKUs of its lines without location, all of whose rows the sourcing rule may choose from. */
    Set<String> sourcedSkus() {
        Set<String> skus = new TreeSet<>(StockKey.BYTE_ORDER);
        request.lines().stream().filter(l -> l.location() == null).forEach(l -> skus.add(l.sku()));
        return skus;
    }
}
