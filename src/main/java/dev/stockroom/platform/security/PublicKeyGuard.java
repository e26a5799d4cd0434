package dev.stockroom.platform.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Tells whether a configured JWT verification key is usable outside development: present, and not the development
 * key committed in {@code dev-keys/}, whose private half anyone with the repository can sign with.
 *
 * <p>The key may be given inline ({@code mp.jwt.verify.publickey}: PEM, bare Base64 or JWK/JWKS) or by location
 * ({@code mp.jwt.verify.publickey.location}: a file, a class path resource, {@code file:} or {@code classpath:}).
 * The development key is recognised in any of these encodings by its Base64 body or its JWK modulus.
 * <b>Note:</b> a key fetched from an {@code http(s)} location (a JWKS endpoint) is not read at startup; such keys are
 * the identity provider's, not files from this repository.
 */
public final class PublicKeyGuard {

    /** Class path resource of the development public key; its private half lives in the test resources. */
    public static final String DEV_PUBLIC_KEY = "dev-keys/stockroom-dev-public.pem";

    private final String devKeyBody;
    private final String devKeyModulus;

    public PublicKeyGuard(String devPublicKeyPem) {
        this.devKeyBody = pemBody(devPublicKeyPem);
        this.devKeyModulus = modulus(devKeyBody);
    }

    /** A guard that knows the development key from the class path. */
    public static PublicKeyGuard withDevKeyFromClassPath() {
        return new PublicKeyGuard(readClassPath(DEV_PUBLIC_KEY)
                .orElseThrow(() -> new IllegalStateException("Missing class path resource " + DEV_PUBLIC_KEY)));
    }

    /**
     * Refuses a configuration without a key or with the development key.
     *
     * @throws IllegalStateException with a message that says what to configure instead
     */
    public void check(Optional<String> inlineKey, Optional<String> location) {
        if (inlineKey.isEmpty() && location.isEmpty()) {
            throw new IllegalStateException("No JWT verification key is configured: set STOCKROOM_JWT_PUBLIC_KEY_LOCATION"
                    + " (or mp.jwt.verify.publickey / mp.jwt.verify.publickey.location) to the identity provider's"
                    + " public key");
        }
        if (inlineKey.isPresent() && isDevKey(inlineKey.get())) {
            throw devKeyRefused("mp.jwt.verify.publickey");
        }
        if (location.isPresent()) {
            String where = location.get().strip();
            if (where.endsWith(DEV_PUBLIC_KEY) || read(where).map(this::isDevKey).orElse(false)) {
                throw devKeyRefused("mp.jwt.verify.publickey.location=" + where);
            }
        }
    }

    boolean isDevKey(String keyText) {
        String compact = keyText.replaceAll("\\s", "");
        return compact.contains(devKeyBody) || compact.contains(devKeyModulus);
    }

    private static IllegalStateException devKeyRefused(String setting) {
        return new IllegalStateException("The JWT verification key (" + setting + ") is Stockroom's development key,"
                + " whose private half is in the source repository: anyone could mint tokens. Configure the identity"
                + " provider's public key, or run with the dev profile");
    }

    private static Optional<String> read(String location) {
        if (location.startsWith("http://") || location.startsWith("https://")) {
            return Optional.empty();
        }
        if (location.startsWith("classpath:")) {
            return readClassPath(location.substring("classpath:".length()));
        }
        Path file = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
        if (Files.isRegularFile(file)) {
            try {
                return Optional.of(Files.readString(file));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the JWT verification key at " + file, e);
            }
        }
        return readClassPath(location);
    }

    private static Optional<String> readClassPath(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String pemBody(String pem) {
        return pem.replaceAll("-----(BEGIN|END) [A-Z ]+-----", "").replaceAll("\\s", "");
    }

    /** The key's RSA modulus as a JWK writes it ({@code n}: unsigned big-endian, Base64url without padding). */
    private static String modulus(String base64Der) {
        try {
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA")
                    .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64Der)));
            byte[] bytes = key.getModulus().toByteArray();
            if (bytes[0] == 0) {
                bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
            }
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("The development public key is not an RSA key", e);
        }
    }
}
