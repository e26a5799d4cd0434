package dev.stockroom.platform.security;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

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
}
