package dev.stockroom.deploy;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The readiness items about the release rather than the manifests: flags off by default, migrations linted and
 * N-1 checked, load and chaos runs recorded on this release's code with clean audits, and a rollback plan.
 */
final class ReleaseReadiness {

    /**
     * How far a recorded load or chaos run may lag HEAD: at most this many commits that change the service's code
     * ({@link #CODE}) since the commit it ran on. Documentation, manifests and tests do not count.
     */
    static final int MAX_CODE_COMMITS_BEHIND = 5;
    static final String[] CODE = {"src/main", "pom.xml"};

    static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    static final Path LINT_RECORD = Path.of("target/release-safety/squawk.txt");
    static final Path N1_RECORD = Path.of("target/release-safety/n-1-check.md");
    static final Path RESULTS = Path.of("loadtests/results");
    static final Path ROLLBACK_RUNBOOK = Path.of("docs/runbooks/rollback-vs-hotfix.md");

    private final Rendered env;

    ReleaseReadiness(Rendered env) {
        this.env = env;
    }

    List<ReadinessItem> items() {
        return List.of(flagsOff(), migrations(), recordedRun(false), recordedRun(true), rollbackPlan());
    }

    ReadinessItem flagsOff() {
        List<String> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Optional<Map<String, Object>> configMap = env.find("ConfigMap", "stockroom-flags");
        Object file = configMap.map(c -> Yaml.map(c, "data").get("flags.json")).orElse(null);
        if (file == null) {
            problems.add("no ConfigMap stockroom-flags with flags.json");
        } else {
            try {
                Map<String, Object> flags = Yaml.map(new ObjectMapper().readValue((String) file, Map.class), "flags");
                flags.forEach((key, value) -> {
                    Object defaultVariant = Yaml.at(value, "defaultVariant");
                    Object off = Yaml.at(value, "metadata", "offVariant");
                    Object targeting = Yaml.at(value, "targeting");
                    evidence.add("%s: default %s, off %s, targeting %s".formatted(key, defaultVariant, off,
                            targeting == null || targeting.equals(Map.of()) ? "none" : targeting));
                    if (off == null || !off.equals(defaultVariant)) {
                        problems.add(key + " defaults to " + defaultVariant + ", not its off variant " + off);
                    }
                });
            } catch (IOException e) {
                problems.add("flags.json is not JSON: " + e.getMessage());
            }
        }
        return ReadinessItem.of("New flags default off", List.of(), evidence, problems);
    }

    ReadinessItem migrations() {
        String digest = digest(MIGRATIONS);
        List<String> evidence = new ArrayList<>(List.of("migrations " + digest + " (" + MIGRATIONS + ")"));
        List<String> problems = new ArrayList<>();
        List<String> lint = lines(LINT_RECORD);
        if (lint.isEmpty()) {
            problems.add("no lint record: run bin/lint-migrations");
        } else {
            evidence.add(LINT_RECORD + ": " + lint.stream().filter(l -> !l.startsWith("linted")
                    && !l.startsWith("excluded")).toList() + ", " + lint.stream().filter(l -> l.startsWith("excluded"))
                            .count() + " left out by .squawk.toml");
            require(problems, lint.contains("verdict clean"), "the lint found problems");
            require(problems, lint.contains("migrations " + digest), "the lint ran on other migrations than these");
        }
        List<String> n1 = lines(N1_RECORD);
        if (n1.isEmpty()) {
            problems.add("no N-1 record: run bin/n-1-check --self-test");
        } else {
            evidence.add(N1_RECORD + ": " + n1.stream().filter(l -> l.matches(
                    "- (head|old|migrations|verdict|self-test) .*"))
                    .map(l -> l.substring(2)).toList());
            require(problems, n1.contains("- verdict PASS"), "the N-1 check failed");
            require(problems, n1.contains("- self-test PASS"), "the N-1 check's self-test did not run or failed");
            require(problems, n1.contains("- migrations " + digest),
                    "the N-1 check ran on other migrations than these");
        }
        return ReadinessItem.of("Migrations linted and N-1 checked", List.of(), evidence, problems);
    }

    ReadinessItem recordedRun(boolean chaos) {
        String what = chaos ? "chaos run" : "load test";
        List<String> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        List<RecordedRun> runs = RecordedRun.in(RESULTS).stream().filter(r -> r.chaos() == chaos)
                .filter(r -> Git.isAncestor(r.commit()))
                .sorted(Comparator.comparingInt(r -> Git.commitsSince(r.commit(), CODE))).toList();
        if (runs.isEmpty()) {
            problems.add("no " + what + " recorded in " + RESULTS + " on a commit of this history");
        } else {
            RecordedRun latest = runs.get(0);
            int behind = Git.commitsSince(latest.commit(), CODE);
            evidence.add("%s on commit %s, %d commits changing %s since (at most %d)".formatted(latest.file(),
                    latest.commit(), behind, String.join(", ", CODE), MAX_CODE_COMMITS_BEHIND));
            evidence.add("audit: " + latest.audit());
            evidence.add("verdicts: " + latest.verdicts());
            evidence.add("Gatling assertions: " + latest.assertions());
            require(problems, behind <= MAX_CODE_COMMITS_BEHIND, "recorded " + behind
                    + " code commits ago; record it again on this release's code");
            require(problems, latest.clean(), "its audit, verdicts or Gatling assertions did not all pass");
        }
        return ReadinessItem.of("The " + what + " recorded on this release's code, audit clean", List.of(), evidence,
                problems);
    }

    ReadinessItem rollbackPlan() {
        List<String> evidence = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        String runbook = Files.isRegularFile(ROLLBACK_RUNBOOK) ? read(ROLLBACK_RUNBOOK) : "";
        require(problems, runbook.contains("## Roll back") && runbook.contains("schema"),
                ROLLBACK_RUNBOOK + " is missing or does not say what a rollback does to the schema");
        evidence.add(ROLLBACK_RUNBOOK + (runbook.isEmpty() ? " missing" : " present"));
        Optional<Map<String, Object>> rollout = env.find("Rollout", "stockroom");
        Object history = rollout.map(r -> Yaml.at(r, "spec", "revisionHistoryLimit"))
                .orElse(Yaml.at(env.one("Deployment"), "spec", "revisionHistoryLimit"));
        evidence.add((rollout.isPresent() ? "Rollout" : "Deployment") + " keeps " + history + " old revisions");
        require(problems, history instanceof Integer n && n >= 1, "no old revision kept to roll back to");
        rollout.ifPresent(r -> {
            evidence.add("canary steps " + Yaml.list(r, "spec", "strategy", "canary", "steps").size()
                    + ", analysis " + Yaml.at(r, "spec", "strategy", "canary", "analysis", "templates"));
            require(problems, Yaml.at(r, "spec", "strategy", "canary", "analysis") != null,
                    "the canary has no analysis to abort it");
        });
        return ReadinessItem.of("A rollback plan", List.of(), evidence, problems);
    }

    /** The digest the lint and the N-1 check record: SHA-256 of the migrations in name order, first 16 hex digits. */
    static String digest(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (Path f : files.filter(p -> p.toString().endsWith(".sql")).sorted().toList()) {
                sha.update(Files.readAllBytes(f));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> lines(Path file) {
        return Files.isRegularFile(file) ? List.of(read(file).split("\n")) : List.of();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void require(List<String> problems, boolean holds, String problem) {
        if (!holds) {
            problems.add(problem);
        }
    }
}
