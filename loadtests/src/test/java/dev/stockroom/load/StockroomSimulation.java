package dev.stockroom.load;

import dev.stockroom.load.audit.Audit;
import dev.stockroom.load.env.Stack;
import dev.stockroom.load.env.StackConfig;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.gatling.javaapi.http.HttpDsl.http;

/**
 * What every Stockroom simulation shares: the stack, started in {@code before()} (ports and keys are fixed when the
 * simulation is made, so the protocol can name them), seeded with the catalogue; and in {@code after()} the record of
 * what the load tool saw, and the audit. A violated invariant or a 5xx other than 503 fails the run.
 */
abstract class StockroomSimulation extends Simulation {

    protected final Settings settings = Settings.fromSystemProperties();
    protected final Catalogue catalogue = Catalogue.fromSystemProperties();
    protected final Tally tally = new Tally();
    protected final Stack stack = new Stack(StackConfig.fromSystemProperties());
    protected final Storefront storefront = new Storefront(catalogue, settings, tally);
    protected final HttpProtocolBuilder protocol = http.baseUrl(stack.api().toString())
            .authorizationHeader("Bearer " + stack.tokens().token("storefront", Duration.ofHours(3)))
            .acceptHeader("application/json")
            .shareConnections();
    /** Lines for the run's record, added to by subclasses. */
    protected final List<String> record = new ArrayList<>();

    @Override
    public void before() {
        stack.start();
        stack.seed(catalogue);
        prepare();
    }

    /** Runs after the stack is seeded and before the load starts (warm the cache, schedule chaos). */
    protected void prepare() {
    }

    /** Runs after the load ends and before the audit (end the chaos, wait for events to be applied). */
    protected void finish() {
    }

    @Override
    public void after() {
        boolean passed;
        try {
            finish();
            Path held = stack.config().workDir().resolve(getClass().getSimpleName() + "-held-keys.txt");
            tally.writeHeldKeys(held);
            record.add("## Answers seen by the load tool");
            tally.counts().forEach((k, v) -> record.add("- " + k + ": " + v));
            record.add("- 5xx other than 503: " + tally.serverErrorsOtherThan503());
            record.add("- holds answered 201 (distinct Idempotency-Keys): " + tally.holdsAnswered201());
            record.add("## Audit");
            var outcomes = Audit.run(stack.directJdbcUrl(), Stack.DB_USER, Stack.DB_PASSWORD, held);
            outcomes.forEach(o -> record.add("- " + o.line()));
            passed = outcomes.stream().allMatch(o -> o.passed()) && tally.serverErrorsOtherThan503() == 0;
            record.add(passed ? "RESULT: PASSED" : "RESULT: FAILED");
            write(stack.config().workDir().resolve(getClass().getSimpleName() + "-outcome.md"));
        } catch (SQLException e) {
            throw new IllegalStateException("The audit could not run", e);
        } finally {
            stack.close();
        }
        if (!passed) {
            throw new IllegalStateException(getClass().getSimpleName() + " failed: see " + stack.config().workDir());
        }
    }

    private void write(Path file) {
        try {
            Files.write(file, record);
            record.forEach(line -> System.out.println("[outcome] " + line));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
