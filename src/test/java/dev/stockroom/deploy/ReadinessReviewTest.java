package dev.stockroom.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The readiness review reads what will be deployed: the real overlays pass every item computed from the
 * manifests, and a broken overlay turns exactly the broken items red, with the reason in the evidence.
 */
class ReadinessReviewTest {

    /** Items decided by the manifests and configuration alone (the others read records of runs and checks). */
    private static final List<String> MANIFEST_ITEMS = List.of(
            "Connection budget at max replicas plus surge fits the database",
            "Probes present, distinct, on the management port", "Resources and limits",
            "At least 2 replicas, a PodDisruptionBudget, spread across nodes", "Hardened security context",
            "NetworkPolicy", "Every alert links a runbook that exists", "A dashboard panel for every alerting metric",
            "New flags default off", "A rollback plan");

    @ParameterizedTest
    @ValueSource(strings = {"staging", "production"})
    void review_realOverlay_isGreenOnEveryManifestItem(String overlay) {
        // When the overlay is reviewed
        ReadinessReview.Review review = ReadinessReview.review(overlay, Path.of("deploy/overlays", overlay));

        // Then every item the manifests decide is green
        assertThat(status(review)).containsAllEntriesOf(MANIFEST_ITEMS.stream()
                .collect(Collectors.toMap(t -> t, t -> true)));
    }

    @Test
    void review_brokenFixtureOverlay_turnsEachBrokenItemRed() {
        // Given production with one replica, no PDB, a shared probe path, no limits, a writable root file system,
        // no NetworkPolicy, an alert without runbook or panel, and a flag on for everyone
        ReadinessReview.Review review = ReadinessReview.review("readiness-broken",
                Path.of("src/test/resources/deploy-fixtures/readiness-broken"));

        // Then exactly those items are red, and the budget and rollback plan (untouched) are not
        Map<String, Boolean> status = status(review);
        assertThat(status).containsEntry("At least 2 replicas, a PodDisruptionBudget, spread across nodes", false)
                .containsEntry("Probes present, distinct, on the management port", false)
                .containsEntry("Resources and limits", false)
                .containsEntry("Hardened security context", false)
                .containsEntry("NetworkPolicy", false)
                .containsEntry("Every alert links a runbook that exists", false)
                .containsEntry("A dashboard panel for every alerting metric", false)
                .containsEntry("New flags default off", false)
                .containsEntry("Connection budget at max replicas plus surge fits the database", true)
                .containsEntry("A rollback plan", true);
        assertThat(review.green()).isFalse();

        // And the evidence says why
        assertThat(evidence(review)).contains("RED: fewer than 2 replicas at minimum: 1", "RED: no PodDisruptionBudget",
                "RED: no NetworkPolicy selects the pods", "RED: the root file system is writable",
                "RED: reports.enabled defaults to on, not its off variant off",
                "RED: StockroomSomethingNew names no runbook that exists: docs/runbooks/no-such-page.md");
        assertThat(ReadinessReview.markdown(review)).contains("| **RED** | NetworkPolicy |");
    }

    @Test
    void recordedRun_chaosRecord_isReadWithItsCommitAuditAndVerdicts() {
        // When a recorded chaos run (a copy of one, so that recording a new run does not change this test) is read
        RecordedRun run = RecordedRun.parse(Path.of("src/test/resources/recorded-runs/flash-sale-chaos.md"))
                .orElseThrow();

        // Then its commit, kind, audit, verdicts and Gatling assertions are found
        assertThat(run.commit()).isEqualTo("ef45ef5");
        assertThat(run.chaos()).isTrue();
        assertThat(run.audit()).hasSize(7).allMatch(l -> l.startsWith("PASS"));
        assertThat(run.verdicts()).hasSize(5).allMatch(l -> l.startsWith("PASS"));
        assertThat(run.assertions()).hasSize(6).first().asString().contains(": true (actual : 3881.0)");
        assertThat(run.clean()).isTrue();
    }

    @Test
    void recordedRun_withAFailedGatlingAssertion_isNotClean(@TempDir Path dir) throws IOException {
        // Given a load test whose audit and verdicts passed but whose hold p99 assertion did not
        Path file = dir.resolve("flash-sale.md");
        Files.writeString(file, """
                Run finished 2026-11-30T07:53Z on commit `187a945`.
                ## Audit
                - PASS no quantity is negative
                ## Verdicts
                - PASS verdict: audit finds no violation
                ```
                hold: 99th percentile of response time is less than 2000.0 : false (actual : 10023.0)
                ```
                """);

        // Then it is a load test (no chaos section) that is not clean
        RecordedRun run = RecordedRun.parse(file).orElseThrow();
        assertThat(run.chaos()).isFalse();
        assertThat(run.clean()).isFalse();
    }

    private static Map<String, Boolean> status(ReadinessReview.Review review) {
        return review.items().stream().collect(Collectors.toMap(ReadinessItem::title, ReadinessItem::green));
    }

    private static List<String> evidence(ReadinessReview.Review review) {
        return review.items().stream().flatMap(i -> i.evidence().stream()).toList();
    }
}
