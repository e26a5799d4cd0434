package dev.stockroom.history;

import dev.stockroom.platform.ProblemException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a history page ended: the last row's {@code occurred_at} (in microseconds, the database's precision) and
 * id. The next page starts strictly after it in the page order, so a row written meanwhile (always newer than the
 * pages already read, or arriving late at its own place) is never returned twice and never pushes another one out.
 * Opaque to clients: base64url of a versioned text.
 */
record Cursor(Instant occurredAt, long id) {

    private static final Pattern SHAPE = Pattern.compile("v1:(-?\\d{1,19}):(\\d{1,19})");

    String encode() {
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, occurredAt);
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("v1:" + micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
    }

    static Cursor decode(String text) {
        try {
            Matcher m = SHAPE.matcher(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.US_ASCII));
            if (m.matches()) {
                return new Cursor(Instant.EPOCH.plus(Long.parseLong(m.group(1)), ChronoUnit.MICROS),
                        Long.parseLong(m.group(2)));
            }
        } catch (IllegalArgumentException | ArithmeticException e) {
            // not base64, or numbers out of range: the same answer as any other foreign text
        }
        throw ProblemException.invalid("cursor", "not a cursor from a previous page of this API");
    }
}
