package dev.stockroom.reservation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.stockroom.platform.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns a hold request into a {@link PendingHold}: applies the configured limits and the default TTL, adds up
 * repeated lines, and fingerprints it, so that a retry under the same {@code Idempotency-Key} can be recognised.
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
     * @throws ProblemException 400 naming the field, when a limit is passed or a SKU has lines with and without location
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
        // One line per stock row: a cart that lists an item twice holds the sum. A line without location (sourced
        // from any row of its SKU) must be the only line of its SKU, since its sourcing would depend on the others.
        Map<List<String>, HoldRequest.Line> merged = new LinkedHashMap<>();
        Set<String> located = new HashSet<>();
        Set<String> sourced = new HashSet<>();
        for (int i = 0; i < request.lines().size(); i++) {
            HoldRequest.Line line = request.lines().get(i);
            String field = "lines[" + i + "]";
            if (line.quantity() > config.maxLineQuantity()) {
                throw ProblemException.invalid(field + ".quantity", "must be at most " + config.maxLineQuantity());
            }
            (line.location() == null ? sourced : located).add(line.sku());
            if (located.contains(line.sku()) && sourced.contains(line.sku())) {
                throw ProblemException.invalid(field, "SKU '" + line.sku() + "' has lines with and without location:"
                        + " a line without location must be the only line of its SKU");
            }
            HoldRequest.Line sum = merged.merge(Arrays.asList(line.sku(), line.location()), line,
                    (a, b) -> new HoldRequest.Line(a.sku(), a.quantity() + b.quantity(), a.location()));
            if (sum.quantity() > config.maxLineQuantity()) {
                throw ProblemException.invalid(field + ".quantity", "the lines for SKU '" + line.sku()
                        + "' add up to more than " + config.maxLineQuantity());
            }
        }
        return new HoldRequest(request.orderRef(), List.copyOf(merged.values()), ttl);
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
