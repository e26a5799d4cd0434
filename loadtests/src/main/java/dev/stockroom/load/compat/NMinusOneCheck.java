package dev.stockroom.load.compat;

import dev.stockroom.load.env.Service;
import dev.stockroom.load.env.Stack;
import dev.stockroom.load.env.StackConfig;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.flywaydb.database.postgresql.PostgreSQLConfigurationExtension;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The N-1 compatibility check: the previous build must keep working on the schema the new one migrates to, since
 * during a rolling release (and after a rollback) both run on it.
 *
 * <p>On a fresh PostgreSQL and Kafka broker (the load-test stack, production profile, a fresh key pair), HEAD's
 * migrations are applied with Flyway; then the previous build is started, with Flyway tolerating migrations it does
 * not know ({@code *:future}) and nothing else, and the smoke suite runs against it; then the same suite against
 * HEAD, on the same database. With {@code fixture.migrations} set, a second run adds those migrations (one that
 * drops a column the previous build reads) and passes only if the previous build fails on them: the proof that the
 * check can fail.
 *
 * <p>Its one argument is a properties file ({@code bin/n-1-check} writes it): {@code old.app}, {@code old.commit},
 * {@code head.app}, {@code head.commit}, {@code migrations}, {@code fixture.migrations} (optional), {@code work},
 * {@code report}. Exits 0 when the check passes (and the fixture is caught), 1 otherwise.
 */
public final class NMinusOneCheck {

    /** Only migrations newer than the build's own may be unknown to it: no ignored, missing or pending ones. */
    static final Map<String, String> OLD_BUILD_FLYWAY = Map.of("QUARKUS_FLYWAY_IGNORE_MIGRATION_PATTERNS", "*:future");

    private static final Pattern MESSAGE = Pattern.compile("\"message\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private record Run(String build, boolean started, String startFailure, List<SmokeSuite.Step> steps) {
        boolean passed() {
            return started && steps.stream().allMatch(SmokeSuite.Step::passed);
        }
    }

    private final Properties settings;
    private final Path work;

    private NMinusOneCheck(Properties settings) {
        this.settings = settings;
        this.work = Path.of(settings.getProperty("work"));
    }

    public static void main(String[] args) throws IOException {
        Properties settings = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            settings.load(in);
        }
        System.exit(new NMinusOneCheck(settings).run() ? 0 : 1);
    }

    private boolean run() throws IOException {
        Path migrations = Path.of(settings.getProperty("migrations"));
        List<Run> check = onFreshStack("check", List.of(migrations), true);
        boolean compatible = check.stream().allMatch(Run::passed);

        String fixture = settings.getProperty("fixture.migrations", "");
        List<Run> proof = List.of();
        boolean caught = true;
        if (!fixture.isBlank()) {
            proof = onFreshStack("self-test", List.of(migrations, Path.of(fixture)), false);
            caught = !proof.get(0).passed();
        }
        String report = report(check, compatible, fixture, proof, caught);
        Path reportFile = Path.of(settings.getProperty("report"));
        Files.createDirectories(reportFile.getParent());
        Files.writeString(reportFile, report);
        System.out.println(report);
        return compatible && caught;
    }

    /** Migrates a fresh database with the given migrations, then runs the old build (and HEAD) against it. */
    private List<Run> onFreshStack(String name, List<Path> locations, boolean withHead) {
        StackConfig config = new StackConfig(Path.of(settings.getProperty("head.app")), work.resolve(name), 16, 4, 2,
                1, 10, Duration.ofSeconds(180), "384m",
                // Production's flags (every flag off), from the repository HEAD's package was built in.
                Path.of(settings.getProperty("head.app")).resolve("../../deploy/base/flags/flags.json").toAbsolutePath()
                        .normalize(),
                Duration.ofMillis(250));
        List<Run> runs = new ArrayList<>();
        try (Stack stack = new Stack(config).startInfrastructure()) {
            // As the service's Flyway runs them (ConcurrentIndexMigrations): a migration may build an index
            // CONCURRENTLY, outside a transaction, and must not wait on Flyway's own transaction-level lock.
            FluentConfiguration flyway = Flyway.configure()
                    .dataSource(stack.directJdbcUrl(), Stack.DB_USER, Stack.DB_PASSWORD)
                    .locations(locations.stream().map(p -> "filesystem:" + p.toAbsolutePath()).toArray(String[]::new))
                    .mixed(true);
            flyway.getPluginRegister().getExact(PostgreSQLConfigurationExtension.class).setTransactionalLock(false);
            flyway.load().migrate();
            Stack.log("%s: database migrated with %s", name, locations);
            runs.add(smoke(stack, "old", Path.of(settings.getProperty("old.app")), OLD_BUILD_FLYWAY));
            if (withHead) {
                runs.add(smoke(stack, "head", Path.of(settings.getProperty("head.app")), Map.of()));
            }
        }
        return runs;
    }

    private Run smoke(Stack stack, String build, Path app, Map<String, String> environment) {
        Service service;
        try {
            service = stack.launch(app, build, environment);
        } catch (RuntimeException e) {
            return new Run(build, false, e.getMessage() + logErrors(stack.config().workDir().resolve(build)),
                    List.of());
        }
        try (service) {
            Stack.log("%s build ready; running the smoke suite", build);
            return new Run(build, true, "", new SmokeSuite(stack, build).run());
        }
    }

    /** The messages of the error lines of the service's log (JSON in production), which say why it did not start. */
    private static String logErrors(Path dir) {
        try (Stream<Path> logs = Files.list(dir)) {
            Set<String> messages = new LinkedHashSet<>();
            for (Path log : logs.filter(p -> p.getFileName().toString().startsWith("service-")).sorted().toList()) {
                for (String line : Files.readAllLines(log)) {
                    if (!line.contains("\"level\":\"ERROR\"")) {
                        continue;
                    }
                    Matcher m = MESSAGE.matcher(line);
                    while (m.find()) {
                        messages.add(m.group(1).length() > 300 ? m.group(1).substring(0, 300) + "…" : m.group(1));
                    }
                }
            }
            return messages.isEmpty() ? "" : "\n    - " + String.join("\n    - ", messages);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String report(List<Run> check, boolean compatible, String fixture, List<Run> proof, boolean caught) {
        StringBuilder md = new StringBuilder();
        md.append("# N-1 compatibility check\n\n");
        md.append("- head ").append(settings.getProperty("head.commit")).append('\n');
        md.append("- old ").append(settings.getProperty("old.commit")).append('\n');
        md.append("- migrations ").append(settings.getProperty("migrations.digest", "?")).append('\n');
        md.append("- verdict ").append(compatible ? "PASS" : "FAIL").append('\n');
        if (!fixture.isBlank()) {
            md.append("- self-test ").append(caught ? "PASS" : "FAIL").append('\n');
        }
        md.append("\nThe previous build (").append(settings.getProperty("old.commit"))
                .append(") and HEAD, one after the other, on one database migrated with HEAD's migrations.\n");
        check.forEach(run -> describe(md, run));
        if (!fixture.isBlank()) {
            md.append("\n## Self-test: ").append(fixture).append("\n\nHEAD's migrations plus the fixture; the previous "
                    + "build must fail on them. ").append(caught ? "It did: the check catches it.\n"
                    : "It did not: the check cannot tell.\n");
            proof.forEach(run -> describe(md, run));
        }
        return md.toString();
    }

    private static void describe(StringBuilder md, Run run) {
        md.append("\n### ").append(run.build()).append(" build: ").append(run.passed() ? "PASS" : "FAIL").append("\n\n");
        if (!run.started()) {
            md.append("- did not start: ").append(run.startFailure()).append('\n');
        }
        run.steps().forEach(step -> md.append("- ").append(step.passed() ? "PASS " : "FAIL ").append(step.name())
                .append(step.detail().isEmpty() ? "" : ": " + step.detail()).append('\n'));
    }
}
