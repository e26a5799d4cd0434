package dev.stockroom.platform;

import java.util.LinkedHashMap;
import java.util.Map;

/** A failure that is the caller's to handle, answered as a problem of the given type. */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final Map<String, Object> extensions;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, Map.of());
    }

    public ProblemException(ProblemType type, String detail, Map<String, Object> extensions) {
        super(detail, null, false, false);
        this.type = type;
        this.extensions = new LinkedHashMap<>(extensions);
    }

    public ProblemType type() {
        return type;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    /** A 400 naming the offending field, in the same shape as bean validation failures. */
    public static ProblemException invalid(String field, String message) {
        return new ProblemException(ProblemType.INVALID_REQUEST, field + ": " + message,
                Map.of("errors", java.util.List.of(new FieldError(field, message))));
    }

    /** One invalid field of a request. */
    public record FieldError(String field, String message) {
    }
}
