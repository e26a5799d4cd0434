package dev.stockroom.platform.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.crypto.SecretKey;

/**
 * Verifies a bearer token once while it is valid, instead of on every request. Verifying a token (an RS256 signature
 * check and a parse of its claims) is the costliest step the event loop takes for a cached read or a hold, and a
 * storefront sends the same token with thousands of requests.
 *
 * <p>Only tokens that verified are kept, keyed by the whole token text, signature included, so nothing but that exact
 * token is ever answered from here. Each is kept until its {@code exp} by the application clock, or for
 * {@code stockroom.security.token-cache.max-age} if that comes first, and at most {@code max-entries} of them. A token
 * that was refused is verified again each time it comes. The service's JWT authentication uses this parser in place
 * of SmallRye JWT's, to which it hands every verification.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class VerifiedTokens implements JWTParser {

    private final JWTParser verifier;
    private final Cache<String, JsonWebToken> verified;

    @Inject
    VerifiedTokens(DefaultJWTParser verifier, SecurityConfig config, Clock clock, MeterRegistry registry) {
        this(verifier, config.tokenCache(), clock);
        CaffeineCacheMetrics.monitor(registry, verified, "bearer-tokens");
    }

    VerifiedTokens(JWTParser verifier, SecurityConfig.TokenCache config, Clock clock) {
        this.verifier = verifier;
        this.verified = Caffeine.newBuilder().maximumSize(config.maxEntries())
                .expireAfter(untilExpiredOr(config.maxAge()))
                .ticker(() -> nanos(clock.instant()))
                .recordStats()
                .build();
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        JsonWebToken known = verified.getIfPresent(token);
        if (known != null) {
            return known;
        }
        JsonWebToken fresh = verifier.parse(token);
        verified.put(token, fresh);
        return fresh;
    }

    // The other ways verify with keys or settings of the caller's choosing: never answered from the cache.

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return verifier.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return verifier.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return verifier.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return verifier.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return verifier.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return verifier.parseOnly(token);
    }

    /** Kept until the token's {@code exp} or for {@code maxAge}, whichever comes first; a token without exp not at all. */
    private static Expiry<String, JsonWebToken> untilExpiredOr(Duration maxAge) {
        return new Expiry<>() {
            @Override
            public long expireAfterCreate(String token, JsonWebToken verified, long now) {
                // now is the application clock's, through the ticker
                long exp = verified.getExpirationTime();
                long untilExpired = exp <= 0 ? 0 : nanos(Instant.ofEpochSecond(exp)) - now;
                return Math.max(0, Math.min(untilExpired, maxAge.toNanos()));
            }

            @Override
            public long expireAfterUpdate(String token, JsonWebToken verified, long now, long remaining) {
                return remaining;
            }

            @Override
            public long expireAfterRead(String token, JsonWebToken verified, long now, long remaining) {
                return remaining;
            }
        };
    }

    private static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
