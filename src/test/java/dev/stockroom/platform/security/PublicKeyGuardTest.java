package dev.stockroom.platform.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The production start-up check on the JWT verification key. */
class PublicKeyGuardTest {

    /** The development key, as committed beside its private half (test resources; never packaged). */
    private static final Path DEV_KEY = Path.of("src/test/resources/dev-keys", PublicKeyGuard.DEV_PUBLIC_KEY_NAME);

    private final PublicKeyGuard guard = new PublicKeyGuard();

    @Test
    void fingerprint_isTheCommittedDevelopmentKeys() throws Exception {
        byte[] modulus = unsigned(devKey().getModulus());
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(modulus)))
                .isEqualTo(PublicKeyGuard.DEV_KEY_MODULUS_SHA256);
    }

    @Test
    void check_noKeyConfigured_refusesWithWhatToSet() {
        assertThatThrownBy(() -> guard.check(List.of(), List.of()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("STOCKROOM_JWT_PUBLIC_KEY_LOCATION");
    }

    @Test
    void check_devKeyByItsFileName_refuses() {
        assertThatThrownBy(() -> guard.check(List.of(), location("/secrets/" + PublicKeyGuard.DEV_PUBLIC_KEY_NAME)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("development key");
        assertThatThrownBy(() -> guard.check(List.of(), location("classpath:/dev-keys/"
                + PublicKeyGuard.DEV_PUBLIC_KEY_NAME)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void check_devKeyCopiedToAnotherFile_refuses(@TempDir Path dir) throws Exception {
        // Given: someone copied the dev key to a mounted secret under another name
        Path copy = dir.resolve("issuer.pem");
        Files.writeString(copy, devPem());

        // When / Then
        assertThatThrownBy(() -> guard.check(List.of(), location(copy.toString())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("development key");
        assertThatThrownBy(() -> guard.check(List.of(), location("file:" + copy)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void check_devKeyAtSmallRyesOwnLocationBesideAnotherKey_refuses(@TempDir Path dir) throws Exception {
        // Given: a good key where MicroProfile looks, the dev key where SmallRye looks first
        Path good = dir.resolve("issuer.pem");
        Files.writeString(good, pem(anotherKey()));
        Path copy = dir.resolve("key.pem");
        Files.writeString(copy, devPem());
        List<PublicKeyGuard.Configured> locations = List.of(
                new PublicKeyGuard.Configured("smallrye.jwt.verify.key.location", copy.toString()),
                new PublicKeyGuard.Configured("mp.jwt.verify.publickey.location", good.toString()));

        // When / Then
        assertThatThrownBy(() -> guard.check(List.of(), locations))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("smallrye.jwt.verify.key.location");
    }

    @Test
    void check_devKeyInline_refusesAsPemOrBareBase64() throws Exception {
        String pem = devPem();
        String bare = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        assertThatThrownBy(() -> guard.check(inline(pem), List.of())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> guard.check(inline(bare), List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void check_devKeyAsJwks_refuses() throws Exception {
        // Given: the dev key written as a JWK set, the way an identity provider publishes keys
        String modulus = Base64.getUrlEncoder().withoutPadding().encodeToString(unsigned(devKey().getModulus()));
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"" + modulus + "\"}]}";

        // When / Then
        assertThatThrownBy(() -> guard.check(inline(jwks), List.of())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void check_anotherKey_passes(@TempDir Path dir) throws Exception {
        // Given: a key of the identity provider's own
        String pem = pem(anotherKey());
        Path file = dir.resolve("issuer.pem");
        Files.writeString(file, pem);

        // When / Then
        assertThatCode(() -> guard.check(List.of(), location(file.toString()))).doesNotThrowAnyException();
        assertThatCode(() -> guard.check(inline(pem), List.of())).doesNotThrowAnyException();
        assertThatCode(() -> guard.check(List.of(), location("https://idp.example/jwks"))).doesNotThrowAnyException();
    }

    private static List<PublicKeyGuard.Configured> location(String where) {
        return List.of(new PublicKeyGuard.Configured("mp.jwt.verify.publickey.location", where));
    }

    private static List<PublicKeyGuard.Configured> inline(String key) {
        return List.of(new PublicKeyGuard.Configured("mp.jwt.verify.publickey", key));
    }

    private static RSAPublicKey anotherKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return (RSAPublicKey) generator.generateKeyPair().getPublic();
    }

    private static String pem(RSAPublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    private static RSAPublicKey devKey() throws Exception {
        String body = devPem().replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        return (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    private static byte[] unsigned(BigInteger modulus) {
        byte[] n = modulus.toByteArray();
        return n[0] == 0 ? Arrays.copyOfRange(n, 1, n.length) : n;
    }

    private static String devPem() throws Exception {
        return Files.readString(DEV_KEY, StandardCharsets.US_ASCII);
    }
}
