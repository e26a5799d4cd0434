package dev.stockroom.platform.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells whether the configured JWT verification keys are usable outside development: at least one is configured,
 * and none is the development key, whose private half is in the source repository for anyone to sign with.
 *
 * <p>The development key is not shipped: the guard knows it by the SHA-256 of its RSA modulus, and so recognises it
 * in every encoding a key can be configured in (PEM, bare Base64 of the DER, JWK or JWK set), inline or at a location
 * (a file, {@code file:}, {@code classpath:}), whatever the file is called. A key file named like the development
 * key is refused without being read. <b>Note:</b> a key fetched from an {@code http(s)} location (the identity
 * provider's JWKS endpoint) is not read at startup; such keys are the provider's, not files from this repository.
 */
public final class PublicKeyGuard {

    /** File name of the development public key (under {@code src/test/resources/dev-keys/}; never packaged). */
    public static final String DEV_PUBLIC_KEY_NAME = "stockroom-dev-public.pem";

    /** SHA-256 of the development key's RSA modulus (unsigned big-endian bytes); PublicKeyGuardTest checks it. */
    static final String DEV_KEY_MODULUS_SHA256 = "5d63adc05095669ce791a9db31ac57d48090f308b5414429b34625fab10e63db";

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");
    private static final Pattern JWK_MODULUS = Pattern.compile("\"n\"\\s*:\\s*\"([A-Za-z0-9_\\-=]+)\"");

    /** A configured key: where it was found (the configuration key) and its value. */
    public record Configured(String setting, String value) {
    }

    /**
     * Refuses a configuration without any key, or with the development key among them.
     *
     * @param inlineKeys keys given as text
     * @param locations  keys given by location
     * @throws IllegalStateException with a message that says what to configure instead
     */
    public void check(List<Configured> inlineKeys, List<Configured> locations) {
        if (inlineKeys.isEmpty() && locations.isEmpty()) {
            throw new IllegalStateException(
                    "No JWT verification key is configured: set STOCKROOM_JWT_PUBLIC_KEY_LOCATION"
                            + " (or mp.jwt.verify.publickey, mp.jwt.verify.publickey.location or"
                            + " smallrye.jwt.verify.key.location) to the identity provider's public key");
        }
        for (Configured inline : inlineKeys) {
            if (isDevKey(inline.value())) {
                throw devKeyRefused(inline.setting());
            }
        }
        for (Configured location : locations) {
            String where = location.value().strip();
            if (where.endsWith(DEV_PUBLIC_KEY_NAME) || read(where).map(this::isDevKey).orElse(false)) {
                throw devKeyRefused(location.setting() + "=" + where);
            }
        }
    }

    /** Whether the text holds the development key in any encoding this guard knows. */
    boolean isDevKey(String keyText) {
        return moduli(keyText).stream().anyMatch(n -> DEV_KEY_MODULUS_SHA256.equals(sha256(n)));
    }

    /** The RSA moduli found in a key text: PEM blocks, a bare Base64 DER key, or the {@code n} members of JWKs. */
    private static List<byte[]> moduli(String text) {
        List<byte[]> found = new ArrayList<>();
        Matcher pem = PEM_BLOCK.matcher(text);
        while (pem.find()) {
            derModulus(pem.group(1)).ifPresent(found::add);
        }
        derModulus(text).ifPresent(found::add);
        Matcher jwk = JWK_MODULUS.matcher(text);
        while (jwk.find()) {
            try {
                found.add(unsigned(new BigInteger(1, Base64.getUrlDecoder().decode(jwk.group(1).replace("=", "")))));
            } catch (IllegalArgumentException notBase64) {
                // not a modulus; other candidates may still be
            }
        }
        return found;
    }

    private static Optional<byte[]> derModulus(String base64) {
        try {
            byte[] der = Base64.getDecoder().decode(base64.replaceAll("\\s", ""));
            RSAPublicKey key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
            return Optional.of(unsigned(key.getModulus()));
        } catch (IllegalArgumentException | GeneralSecurityException | ClassCastException notAnRsaKey) {
            return Optional.empty();
        }
    }

    private static byte[] unsigned(BigInteger modulus) {
        byte[] bytes = modulus.toByteArray();
        return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
                return Optional.of(Files.readString(file, StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read the JWT verification key at " + file, e);
            }
        }
        return readClassPath(location);
    }

    private static Optional<String> readClassPath(String resource) {
        String name = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(),
                    StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
