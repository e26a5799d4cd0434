package dev.stockroom.platform;

import java.util.UUID;
import java.util.regex.Pattern;

/** The shapes of identifiers that cross the API: SKUs, location codes, reservation ids, idempotency keys. */
public final class Identifiers {

    // Anchored, because the API description states them as JSON Schema patterns, which match anywhere in a value.

    public static final int SKU_MAX_LENGTH = 64;
    public static final int LOCATION_MAX_LENGTH = 32;
    public static final int IDEMPOTENCY_KEY_MAX_LENGTH = 128;

    /** Letters, digits, dot, underscore and dash; starts with a letter or digit; at most 64 characters. */
    public static final String SKU_REGEX = "^[A-Za-z0-9][A-Za-z0-9._-]{0," + (SKU_MAX_LENGTH - 1) + "}$";
    /** Same alphabet as SKUs, at most 32 characters. */
    public static final String LOCATION_REGEX = "^[A-Za-z0-9][A-Za-z0-9._-]{0," + (LOCATION_MAX_LENGTH - 1) + "}$";
    /** Printable ASCII, no spaces, at most 128 characters. */
    public static final String IDEMPOTENCY_KEY_REGEX = "^[!-~]{1," + IDEMPOTENCY_KEY_MAX_LENGTH + "}$";
    /** A reservation id as the API shows it. */
    public static final String UUID_REGEX =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    /** What a SKU must be, in words, for error messages and dead letters. */
    public static final String SKU_RULE =
            "must be 1-" + SKU_MAX_LENGTH + " letters, digits, '.', '_' or '-', starting with a letter or digit";
    /** What a location code must be, in words. */
    public static final String LOCATION_RULE =
            "must be 1-" + LOCATION_MAX_LENGTH + " letters, digits, '.', '_' or '-', starting with a letter or digit";

    private static final Pattern SKU = Pattern.compile(SKU_REGEX);
    private static final Pattern LOCATION = Pattern.compile(LOCATION_REGEX);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile(IDEMPOTENCY_KEY_REGEX);
    private static final Pattern UUID_SHAPE = Pattern.compile(UUID_REGEX);

    private Identifiers() {
    }

    /** True if {@code value} is a well-formed SKU ({@link #SKU_REGEX}). */
    public static boolean isSku(String value) {
        return value != null && SKU.matcher(value).matches();
    }

    /** True if {@code value} is a well-formed location code ({@link #LOCATION_REGEX}). */
    public static boolean isLocation(String value) {
        return value != null && LOCATION.matcher(value).matches();
    }

    public static String sku(String value, String field) {
        if (!isSku(value)) {
            throw ProblemException.invalid(field, SKU_RULE);
        }
        return value;
    }

    public static String location(String value, String field) {
        if (!isLocation(value)) {
            throw ProblemException.invalid(field, LOCATION_RULE);
        }
        return value;
    }

    public static String idempotencyKey(String value) {
        if (value != null && !IDEMPOTENCY_KEY.matcher(value).matches()) {
            throw ProblemException.invalid("Idempotency-Key",
                    "must be 1-128 printable ASCII characters without spaces");
        }
        return value;
    }

    public static UUID uuid(String value, String field) {
        if (value == null || !UUID_SHAPE.matcher(value).matches()) {
            throw ProblemException.invalid(field, "must be a UUID");
        }
        return UUID.fromString(value);
    }
}
