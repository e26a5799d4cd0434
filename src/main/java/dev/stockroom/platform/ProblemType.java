package dev.stockroom.platform;

import java.net.URI;

/** The stable problem types Stockroom answers with; each maps to one HTTP status. */
public enum ProblemType {
    INVALID_REQUEST(400, "The request is not valid"),
    MALFORMED_JSON(400, "The request body is not valid JSON for this endpoint"),
    UNAUTHORIZED(401, "Authentication is required"),
    FORBIDDEN(403, "Not allowed for this caller"),
    NOT_FOUND(404, "No such resource"),
    SKU_NOT_FOUND(404, "No stock is recorded for this SKU"),
    LOCATION_NOT_FOUND(404, "No such location"),
    RESERVATION_NOT_FOUND(404, "No such reservation"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Cannot produce an acceptable representation"),
    INSUFFICIENT_STOCK(409, "Not enough stock to hold every line"),
    HOLD_EXPIRED(409, "The hold has expired"),
    INVALID_STATE(409, "The reservation is not in a state that allows this"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED(422, "The Idempotency-Key was already used with a different request"),
    UNKNOWN_LOCATION(422, "A line names a location that does not exist"),
    SERVICE_UNAVAILABLE(503, "Temporarily unable to serve; retry later"),
    INTERNAL(500, "Internal error");

    private static final String BASE = "https://stockroom.dev/problems/";

    private final int status;
    private final String title;

    ProblemType(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI uri() {
        return URI.create(BASE + slug());
    }

    /** The last segment of {@link #uri()}, such as {@code insufficient-stock}. */
    public String slug() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
