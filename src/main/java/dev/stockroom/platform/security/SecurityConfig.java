package dev.stockroom.platform.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Who may call the API without a token, and which signing keys the service accepts. */
@ConfigMapping(prefix = "stockroom.security")
public interface SecurityConfig {

    /**
     * Whether availability reads ({@code GET /v1/stock…}, {@code GET /v1/locations}) are served to callers without a
     * token. A token that is sent is still verified: an invalid one is refused even when reads are open.
     */
    @WithDefault("false")
    boolean anonymousReads();

    /**
     * Whether startup fails when the token checks are those of development: no JWT verification key, the development
     * key (in any encoding, under any name), no issuer or no audience. On in every profile except {@code dev} and
     * {@code test}.
     */
    @WithDefault("true")
    boolean refuseDevKey();

    /** The bearer tokens verified once and kept while they are valid ({@link VerifiedTokens}). */
    TokenCache tokenCache();

    interface TokenCache {
        /** The most tokens kept; the least used make way first. */
        @WithDefault("10000")
        int maxEntries();

        /**
         * The longest a verified token is kept, however long it stays valid: also how long a token signed with a key
         * the identity provider has withdrawn can still be accepted. {@code 0} verifies every request's token.
         */
        @WithDefault("60s")
        Duration maxAge();
    }
}
