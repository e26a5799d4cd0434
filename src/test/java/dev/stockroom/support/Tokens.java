package dev.stockroom.support;

import io.smallrye.jwt.build.Jwt;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

/** Bearer tokens signed with the development key (the one dev mode and tests trust), or deliberately not. */
public final class Tokens {

    /** The issuer that dev mode and tests accept ({@code %test.mp.jwt.verify.issuer}). */
    public static final String DEV_ISSUER = "https://stockroom.dev/dev-issuer";
    /** The audience that dev mode and tests require ({@code %test.mp.jwt.verify.audiences}). */
    public static final String DEV_AUDIENCE = "stockroom-dev";
    public static final String DEV_PRIVATE_KEY = "dev-keys/stockroom-dev-private.pem";

    private static final PrivateKey DEV_KEY = readPkcs8(DEV_PRIVATE_KEY);
    private static final String ADMIN = mint(Duration.ofDays(1), "admin");

    private Tokens() {
    }

    /** A long-lived admin token; what every test request carries unless the test says otherwise. */
    public static String admin() {
        return ADMIN;
    }

    /** A token valid for an hour, carrying the given roles. */
    public static String withRoles(String... roles) {
        return mint(Duration.ofHours(1), roles);
    }

    /** A token with the given roles that expires {@code lifetime} from now. */
    public static String expiringIn(Duration lifetime, String... roles) {
        return mint(lifetime, roles);
    }

    /** A token valid for an hour for a caller of an account ({@code account} claim) with a subject and roles. */
    public static String forAccount(String account, String subject, String... roles) {
        return Jwt.issuer(DEV_ISSUER).audience(DEV_AUDIENCE).subject(subject).upn(subject).claim("account", account)
                .groups(Set.of(roles))
                .expiresIn(Duration.ofHours(1)).sign(DEV_KEY);
    }

    /** A token signed with the development key that expired an hour ago (beyond any clock skew allowance). */
    public static String expired(String... roles) {
        Instant issued = Instant.now().minus(Duration.ofHours(2));
        return Jwt.issuer(DEV_ISSUER).audience(DEV_AUDIENCE).upn("expired-caller").groups(Set.of(roles))
                .issuedAt(issued).expiresAt(issued.plus(Duration.ofHours(1))).sign(DEV_KEY);
    }

    /** A well-formed, unexpired token with the right issuer, signed by a key the service does not trust. */
    public static String signedByStranger(String... roles) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return Jwt.issuer(DEV_ISSUER).audience(DEV_AUDIENCE).upn("stranger").groups(Set.of(roles)).expiresIn(
                    Duration.ofHours(1))
                    .sign(generator.generateKeyPair().getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token like {@link #withRoles} but naming another issuer. */
    public static String fromIssuer(String issuer, String... roles) {
        return Jwt.issuer(issuer).audience(DEV_AUDIENCE).upn("elsewhere").groups(Set.of(roles))
                .expiresIn(Duration.ofHours(1)).sign(DEV_KEY);
    }

    /** A token like {@link #withRoles} but issued for another application ({@code aud}). */
    public static String forAudience(String audience, String... roles) {
        return Jwt.issuer(DEV_ISSUER).audience(audience).upn("other-app").groups(Set.of(roles))
                .expiresIn(Duration.ofHours(1)).sign(DEV_KEY);
    }

    private static String mint(Duration lifetime, String... roles) {
        return Jwt.issuer(DEV_ISSUER).audience(DEV_AUDIENCE).upn("test-" + String.join("-", roles)).groups(Set.of(
                roles))
                .expiresIn(lifetime).sign(DEV_KEY);
    }

    /**
     * A token valid for an hour from another identity provider (a packaged service under test trusts its key), for
     * {@code audience} ({@code null}: no {@code aud} claim).
     */
    public static String sign(PrivateKey key, String issuer, String audience, String subject, String... roles) {
        var claims = Jwt.issuer(issuer).upn(subject).groups(Set.of(roles)).expiresIn(Duration.ofHours(1));
        return (audience == null ? claims : claims.audience(audience)).sign(key);
    }

    private static PrivateKey readPkcs8(String resource) {
        try (InputStream in = Tokens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Missing test resource " + resource);
            }
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(
                    pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
