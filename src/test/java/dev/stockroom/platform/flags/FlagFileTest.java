package dev.stockroom.platform.flags;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Which flag files the service accepts: the committed ones, and none that would silently change flags. */
class FlagFileTest {

    @ParameterizedTest
    @ValueSource(strings = {"deploy/base/flags/flags.json", "deploy/overlays/staging/flags.json",
            "config/flags/all-on.json"})
    void judge_committedFlagFiles_areAccepted(String file) throws IOException {
        assertThat(FlagFile.judge(Files.readString(Path.of(file))))
                .isInstanceOfSatisfying(FlagFile.Accepted.class, a -> assertThat(a.flags())
                        .containsKeys("holds.engine", "reports.enabled"));
    }

    @Test
    void judge_emptyFlagSet_isAccepted() {
        assertThat(FlagFile.judge(FlagFile.EMPTY)).isInstanceOf(FlagFile.Accepted.class);
    }

    @Test
    void judge_notJson_isRejected() {
        assertThat(FlagFile.judge("{ \"flags\": ")).isInstanceOf(FlagFile.Rejected.class);
    }

    @Test
    void judge_schemaViolation_isRejected() {
        // a state flagd does not know
        assertThat(FlagFile.judge("""
                {"flags": {"x": {"state": "MAYBE", "variants": {"on": true, "off": false}, "defaultVariant": "off",
                 "metadata": {"offVariant": "off"}}}}""")).isInstanceOf(FlagFile.Rejected.class);
    }

    @Test
    void judge_defaultVariantNotAmongVariants_isRejectedNaming() {
        assertThat(FlagFile.judge("""
                {"flags": {"x": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "of",
                 "metadata": {"offVariant": "off"}}}}"""))
                .isInstanceOfSatisfying(FlagFile.Rejected.class, r -> assertThat(r.detail()).contains("x: default"));
    }

    @Test
    void judge_flagWithoutOffVariant_isRejected() {
        assertThat(FlagFile.judge(
                """
                        {"flags": {"x": {"state": "ENABLED", "variants": {"on": true, "off": false}, "defaultVariant": "off"}}}"""))
                .isInstanceOfSatisfying(FlagFile.Rejected.class, r -> assertThat(r.detail()).contains("offVariant"));
    }
}
