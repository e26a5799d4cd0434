package dev.stockroom.platform.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The production start-up check on the JWT verification key. */
class PublicKeyGuardTest {

    private final PublicKeyGuard guard = PublicKeyGuard.withDevKeyFromClassPath();

    @Test
    void check_noKeyConfigured_refusesWithWhatToSet() {
        assertThatThrownBy(() -> guard.check(Optional.empty(), Optional.empty()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("STOCKROOM_JWT_PUBLIC_KEY_LOCATION");
    }

    @Test
    void check_devKeyOnClassPath_refuses() {
        assertThatThrownBy(() -> guard.check(Optional.empty(), Optional.of(PublicKeyGuard.DEV_PUBLIC_KEY)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("development key");
        assertThatThrownBy(() -> guard.check(Optional.empty(), Optional.of("classpath:/" + PublicKeyGuard.DEV_PUBLIC_KEY)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void check_devKeyCopiedToAnotherFile_refuses(@TempDir Path dir) throws Exception {
        // Given: someone copied the dev key to a mounted secret under another name
        Path copy = dir.resolve("issuer.pem");
        Files.writeString(copy, devPem());

        // When / Then
        assertThatThrownBy(() -> guard.check(Optional.empty(), Optional.of(copy.toString())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("development key");
        assertThatThrownBy(() -> guard.check(Optional.empty(), Optional.of("file:" + copy)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void check_devKeyInline_refusesAsPemOrBareBase64() throws Exception {
        String pem = devPem();
        String bare = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        assertThatThrownBy(() -> guard.check(Optional.of(pem), Optional.empty())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> guard.check(Optional.of(bare), Optional.empty())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void check_devKeyAsJwks_refuses() throws Exception {
        // Given: the dev key written as a JWK set, the way an identity provider publishes keys
        RSAPublicKey dev = (RSAPublicKey) java.security.KeyFactory.getInstance("RSA").generatePublic(
                new java.security.spec.X509EncodedKeySpec(Base64.getDecoder().decode(
                        devPem().replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", ""))));
        byte[] n = dev.getModulus().toByteArray();
        String modulus = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(n[0] == 0 ? java.util.Arrays.copyOfRange(n, 1, n.length) : n);
        String jwks = "{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\",\"n\":\"" + modulus + "\"}]}";

        // When / Then
        assertThatThrownBy(() -> guard.check(Optional.of(jwks), Optional.empty())).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void check_anotherKey_passes(@TempDir Path dir) throws Exception {
        // Given: a key of the identity provider's own
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path file = dir.resolve("issuer.pem");
        Files.writeString(file, pem);

        // When / Then
        assertThatCode(() -> guard.check(Optional.empty(), Optional.of(file.toString()))).doesNotThrowAnyException();
        assertThatCode(() -> guard.check(Optional.of(pem), Optional.empty())).doesNotThrowAnyException();
        assertThatCode(() -> guard.check(Optional.empty(), Optional.of("https://idp.example/jwks"))).doesNotThrowAnyException();
    }

    private static String devPem() throws Exception {
        try (var in = PublicKeyGuardTest.class.getClassLoader().getResourceAsStream(PublicKeyGuard.DEV_PUBLIC_KEY)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}
