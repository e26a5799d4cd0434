package dev.stockroom.load.env;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;

/**
 * A throw-away identity provider: a fresh RSA key pair per run (production refuses the committed development key)
 * and RS256 bearer tokens whose {@code groups} claim carries the role.
 */
public final class Tokens {

    public static final String ISSUER = "https://idp.loadtest.invalid/stockroom";
    /** The audience of every token, for {@code STOCKROOM_JWT_AUDIENCE}. */
    public static final String AUDIENCE = "stockroom";

    private final KeyPair keys;

    private Tokens(KeyPair keys) {
        this.keys = keys;
    }

    public static Tokens generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return new Tokens(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key as PEM, for {@code STOCKROOM_JWT_PUBLIC_KEY_LOCATION}. */
    String publicKeyPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** A token for one role, valid for as long as given. */
    public String token(String role, Duration validity) {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setAudience(AUDIENCE);
        claims.setClaim("upn", "loadtest-" + role);
        claims.setStringListClaim("groups", role);
        claims.setIssuedAtToNow();
        claims.setExpirationTimeMinutesInTheFuture(validity.toSeconds() / 60f);
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(keys.getPrivate());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }
}
