package dev.stockroom.history;

/** Descriptions of the error answers of the history and report endpoints, for the API description. */
final class Problems {

    static final String INVALID = "A parameter is missing, malformed or out of range (the range longer than "
            + HistoryConfig.MAX_RANGE_DAYS + " days, say); the problem names it. Problem type invalid-request.";
    static final String UNAUTHORIZED = "No bearer token, or one that is expired, from another issuer or not signed by"
            + " the trusted key. Problem type unauthorized.";
    static final String FORBIDDEN = "The token has neither the reporting nor the admin role. Problem type forbidden.";
    static final String UNAVAILABLE = "Every report connection is busy (refused at once, not queued), a query ran into"
            + " its statement timeout, the database is unreachable, or the ledger is still being moved into its"
            + " partitioned table. Retry after Retry-After seconds. Problem type service-unavailable.";
    static final String INTERNAL = "A bug; the log has the stack trace. Problem type internal.";

    private Problems() {
    }
}
