package dev.stockroom.support;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contract tester Specmatic (the {@code specmatic} npm package, which bundles its jar), run as its own process.
 * {@code .ci/run} installs the pinned version under {@code .tools/specmatic}; elsewhere a test that needs it is
 * skipped with a message saying how to install it, unless {@code -Dstockroom.contract.required=true} (CI) makes its
 * absence a failure.
 */
public final class Specmatic {

    /** The pinned version; {@code .ci/run} installs the same. */
    public static final String VERSION = "2.55.1";
    private static final Path DEFAULT_JAR = Path.of(".tools/specmatic/node_modules/specmatic/specmatic.jar");
    private static final Pattern SUMMARY = Pattern.compile(
            "Tests run: (\\d+), Successes: (\\d+), Failures: (\\d+), WIP: (\\d+), Errors: (\\d+)");
    private static final Duration LONGEST_RUN = Duration.ofMinutes(15);

    private final Path jar;

    private Specmatic(Path jar) {
        this.jar = jar;
    }

    /** The installed tester; skips the calling test when it is absent, or fails it when the run requires it. */
    public static Specmatic installed() {
        Path jar = Path.of(System.getProperty("stockroom.specmatic.jar", DEFAULT_JAR.toString()));
        if (!Files.isRegularFile(jar)) {
            String message = "Specmatic " + VERSION + " is not installed at " + jar.toAbsolutePath()
                    + ": the contract test"
                    + " needs it (and Node's npm to install it): npm install --prefix .tools/specmatic specmatic@"
                    + VERSION;
            if (Boolean.getBoolean("stockroom.contract.required")) {
                throw new IllegalStateException(message);
            }
            Assumptions.abort(message
                    + " (skipped: -Dstockroom.contract.required=true makes this a failure, as in CI)");
        }
        return new Specmatic(jar);
    }

    /** What one run counted. */
    public record Result(int tests, int successes, int failures, int errors, int exitCode, Path log) {
        public String summary() {
            return "Tests run: " + tests + ", Successes: " + successes + ", Failures: " + failures + ", Errors: "
                    + errors
                    + " (exit " + exitCode + "; log " + log + ")";
        }
    }

    /**
     * Runs the contract tests of {@code dir}'s {@code specmatic.yaml} and {@code examples/} against {@code baseUrl}.
     *
     * @param filter       Specmatic's test filter expression
     * @param combinations most request combinations Specmatic generates per scenario
     * @param environment  extra environment, such as the bearer token named after the security scheme
     */
    public Result test(Path dir, String baseUrl, String filter, int combinations, Map<String, String> environment,
                       String name) throws IOException, InterruptedException {
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(),
                "-jar", jar.toAbsolutePath().toString(), "test", "--testBaseURL=" + baseUrl, "--examples=examples",
                "--strict", "--filter=" + filter, "--junitReportDir=" + dir.resolve("report-" + name)
                        .toAbsolutePath()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("MAX_TEST_REQUEST_COMBINATIONS", String.valueOf(combinations));
        Process process = builder.start();
        if (!process.waitFor(LONGEST_RUN.toMinutes(), TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException("Specmatic did not finish within " + LONGEST_RUN + "; see " + log);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Matcher summary = SUMMARY.matcher(output);
        if (!summary.find()) {
            throw new IllegalStateException("Specmatic printed no summary; see " + log);
        }
        return new Result(Integer.parseInt(summary.group(1)), Integer.parseInt(summary.group(2)),
                Integer.parseInt(summary.group(3)), Integer.parseInt(summary.group(5)), process.exitValue(), log);
    }
}
