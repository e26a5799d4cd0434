package dev.stockroom.reservation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockroom.platform.ProblemException;
import dev.stockroom.stock.StockKey;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

/**
 * Turns a hold request into a {@link PendingHold}: applies the configured limits and the default TTL, refuses
 * duplicate lines, and fingerprints it, so that a retry under the same {@code Idempotency-Key} can be recognised.
 */
@ApplicationScoped
class HoldIntake {

    private final ReservationConfig config;
    private final ObjectMapper json;
    private final Clock clock;

    HoldIntake(ReservationConfig config, ObjectMapper json, Clock clock) {
        this.config = config;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The request as a hold waiting for its decision.
     *
     * @throws ProblemException 400 naming the field, when a limit is passed or a line repeats
     */
    PendingHold take(String idempotencyKey, HoldRequest request) {
        HoldRequest hold = normalize(request);
        return new PendingHold(UUID.randomUUID(), idempotencyKey, fingerprint(hold), hold, clock.instant());
    }

    private HoldRequest normalize(HoldRequest request) {
        if (request.lines().size() > config.maxLines()) {
            throw ProblemException.invalid("lines", "at most " + config.maxLines() + " lines per hold");
        }
        int ttl = request.ttlSeconds() == null ? config.defaultTtlSeconds() : request.ttlSeconds();
        if (ttl > config.maxTtlSeconds()) {
            throw ProblemException.invalid("ttlSeconds", "must be between 1 and " + config.maxTtlSeconds());
        }
        Set<StockKey> named = new HashSet<>();
        Set<String> skus = new HashSet<>();
        Set<String> sourced = new HashSet<>();
        for (int i = 0; i < request.lines().size(); i++) {
            HoldRequest.Line line = request.lines().get(i);
            String field = "lines[" + i + "]";
            if (line.quantity() > config.maxLineQuantity()) {
                throw ProblemException.invalid(field + ".quantity", "must be at most " + config.maxLineQuantity());
            }
            // Lines must be independent of each other: one line per stock row, and a line without location (which
            // may be sourced from any row of its SKU) as the only line of its SKU.
            boolean duplicate = line.location() == null
                    ? !sourced.add(line.sku()) || skus.contains(line.sku())
                    : !named.add(new StockKey(line.sku(), line.location())) || sourced.contains(line.sku());
            skus.add(line.sku());
            if (duplicate) {
                throw ProblemException.invalid(field, "duplicate line for SKU '" + line.sku()
                        + "': give each (sku, location) once, and a line without location as the only line of its SKU");
            }
        }
        return new HoldRequest(request.orderRef(), request.lines(), ttl);
    }

    private String fingerprint(HoldRequest hold) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(hold));
            return HexFormat.of().formatHex(digest);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("Cannot fingerprint a hold request", e);
        }
    }
}
