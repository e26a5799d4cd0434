package dev.stockroom.history;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stable pseudonyms for masked production data: HMAC-SHA256 under a secret key, so the same name always becomes the
 * same pseudonym (joins, Zipf shape and per-SKU history survive) while nobody without the key can map a pseudonym
 * back by hashing a list of candidate names. Each kind of name has its own domain, so a SKU and a location with the
 * same text do not collide.
 */
final class Pseudonyms {

    /** Shorter keys make a dictionary attack on the pseudonyms cheap. */
    static final int MIN_KEY_BYTES = 16;

    private final Mac mac;

    Pseudonyms(byte[] key) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("The pseudonym key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code S-} and 16 hex digits: a valid SKU. */
    String sku(String name) {
        return "S-" + HexFormat.of().formatHex(digest("sku", name), 0, 8);
    }

    /** {@code L-} and 12 hex digits: a valid location code. */
    String location(String code) {
        return "L-" + HexFormat.of().formatHex(digest("location", code), 0, 6);
    }

    String eventId(String id) {
        return id == null ? null : "E-" + HexFormat.of().formatHex(digest("event", id), 0, 10);
    }

    String reason(String reason) {
        return reason == null ? null : "R-" + HexFormat.of().formatHex(digest("reason", reason), 0, 4);
    }

    /** A version 4 UUID derived from the original, so that a hold's rows still share one. */
    UUID reservation(UUID id) {
        if (id == null) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.wrap(digest("reservation", id.toString()));
        long high = (bytes.getLong() & ~0xF000L) | 0x4000L;
        long low = (bytes.getLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    private synchronized byte[] digest(String domain, String value) {
        mac.update(domain.getBytes(StandardCharsets.UTF_8));
        mac.update((byte) 0);
        return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
    }
}
