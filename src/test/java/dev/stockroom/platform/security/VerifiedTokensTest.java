package dev.stockroom.platform.security;

import dev.stockroom.support.TestClock;
import dev.stockroom.support.Tokens;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.ParseException;
import io.smallrye.jwt.util.KeyUtils;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The verified-token cache, around SmallRye JWT's own parser configured like the service (the development key,
 * issuer and audience), with the application clock moved forward instead of waiting.
 */
class VerifiedTokensTest {

    private final TestClock clock = new TestClock();
    private final Counting verifier = new Counting();

    @Test
    void parse_sameTokenTwice_verifiesItOnce() throws Exception {
        VerifiedTokens tokens = cache(Duration.ofSeconds(60));
        String token = Tokens.withRoles("storefront");

        JsonWebToken first = tokens.parse(token);
        JsonWebToken again = tokens.parse(token);

        assertThat(again).isSameAs(first);
        assertThat(again.getGroups()).containsExactly("storefront");
        assertThat(verifier.verified).isEqualTo(1);
    }

    @Test
    void parse_tokenSignedByAStranger_isRefusedEveryTime() {
        VerifiedTokens tokens = cache(Duration.ofSeconds(60));
        String token = Tokens.signedByStranger("admin");

        assertThatThrownBy(() -> tokens.parse(token)).isInstanceOf(ParseException.class);
        assertThatThrownBy(() -> tokens.parse(token)).isInstanceOf(ParseException.class);
        assertThat(verifier.verified).isEqualTo(2);
    }

    @Test
    void parse_alteredCopyOfAVerifiedToken_isRefused() throws Exception {
        VerifiedTokens tokens = cache(Duration.ofSeconds(60));
        String token = Tokens.withRoles("storefront");
        tokens.parse(token);

        // the same header and signature around a payload that claims another role
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + Tokens.withRoles("admin").split("\\.")[1] + "." + parts[2];

        assertThatThrownBy(() -> tokens.parse(forged)).isInstanceOf(ParseException.class);
    }

    @Test
    void parse_afterTheTokenExpires_verifiesItAgain() throws Exception {
        VerifiedTokens tokens = cache(Duration.ofHours(1));
        String token = Tokens.expiringIn(Duration.ofMinutes(5), "storefront");
        tokens.parse(token);
        tokens.parse(token);

        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        tokens.parse(token); // still valid by the real clock, so the verifier accepts it again

        assertThat(verifier.verified).isEqualTo(2);
    }

    @Test
    void parse_afterMaxAge_verifiesItAgain() throws Exception {
        VerifiedTokens tokens = cache(Duration.ofSeconds(60));
        String token = Tokens.withRoles("storefront");
        tokens.parse(token);

        clock.advance(Duration.ofSeconds(59));
        tokens.parse(token);
        clock.advance(Duration.ofSeconds(2));
        tokens.parse(token);

        assertThat(verifier.verified).isEqualTo(2);
    }

    @Test
    void parse_maxAgeZero_verifiesEveryTime() throws Exception {
        VerifiedTokens tokens = cache(Duration.ZERO);
        String token = Tokens.withRoles("storefront");

        tokens.parse(token);
        tokens.parse(token);

        assertThat(verifier.verified).isEqualTo(2);
    }

    private VerifiedTokens cache(Duration maxAge) {
        return new VerifiedTokens(verifier, new SecurityConfig.TokenCache() {
            @Override
            public int maxEntries() {
                return 100;
            }

            @Override
            public Duration maxAge() {
                return maxAge;
            }
        }, clock);
    }

    /** SmallRye JWT's parser as the service configures it, counting the tokens it is asked to verify. */
    private static final class Counting extends DefaultJWTParser {
        int verified;

        Counting() {
            super(context());
        }

        @Override
        public JsonWebToken parse(String token) throws ParseException {
            verified++;
            return super.parse(token);
        }

        private static JWTAuthContextInfo context() {
            try {
                JWTAuthContextInfo context = new JWTAuthContextInfo(
                        KeyUtils.readPublicKey("dev-keys/stockroom-dev-public.pem"), Tokens.DEV_ISSUER);
                context.setExpectedAudience(Set.of(Tokens.DEV_AUDIENCE));
                return context;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
