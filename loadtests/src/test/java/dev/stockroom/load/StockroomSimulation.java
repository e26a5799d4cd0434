package dev.stockroom.load;

import dev.stockroom.load.audit.Audit;
import dev.stockroom.load.audit.Outcome;
import dev.stockroom.load.env.Machine;
import dev.stockroom.load.env.Stack;
import dev.stockroom.load.env.StackConfig;
import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * What every Stockroom simulation shares: the stack, started in {@code before()} (ports and keys are fixed when the
 * simulation is made, so the protocol can name them) and seeded with the catalogue; the machine's cores and load
 * average at the start and the end; and, once the load has ended, a verdict step that runs the audit.
 *
 * <p>The verdicts appear in Gatling's report as requests named {@code verdict: …} (a liveness probe whose check is
 * the verdict), each with an assertion, so that a violated invariant, a 5xx other than 503, or an unrecovered fault
 * fails the run the way a slow p99 does, after the report has been written.
 */
abstract class StockroomSimulation extends Simulation {

    static final String INVARIANTS = "verdict: audit finds no violation";
    static final String NO_SERVER_ERRORS = "verdict: no 5xx other than 503";

    protected final Settings settings = Settings.fromSystemProperties();
    protected final Catalogue catalogue = Catalogue.fromSystemProperties(defaultHotStock());
    protected final Tally tally = new Tally(Storefront.HOLD);
    protected final Stack stack = new Stack(StackConfig.fromSystemProperties(defaultReplicas()));
    protected final Storefront storefront = new Storefront(catalogue, settings, tally, () -> stack.endpoints().pick());
    protected final HttpProtocolBuilder protocol = http.baseUrl(stack.api().toString())
            .authorizationHeader("Bearer " + stack.tokens().token("storefront", Duration.ofHours(3)))
            .acceptHeader("application/json")
            .shareConnections();
    /** Lines for the run's record, added to by subclasses. */
    protected final List<String> record = new ArrayList<>();
    /** Verdict name to whether it passed; filled in by {@link #conclude()}. */
    private final Map<String, Boolean> verdicts = new ConcurrentHashMap<>();

    // The two defaults below are read while this class's fields are made: they must return constants.

    /** Replicas of the service this simulation runs unless {@code stack.replicas} says otherwise. */
    protected int defaultReplicas() {
        return 1;
    }

    /** Units of each hot SKU at each warehouse unless {@code load.hot-stock} says otherwise. */
    protected int defaultHotStock() {
        return 200;
    }

    @Override
    public void before() {
        String loadAtStart = Machine.loadAverage();
        stack.start();
        stack.seed(catalogue);
        prepare();
        record.add("- machine: %d cores; load average (1, 5, 15 min) %s before the stack started, %s as the load starts"
                .formatted(Machine.cores(), loadAtStart, Machine.loadAverage()));
        record.add("- %d replica(s) of the packaged service; database max_connections %s".formatted(
                stack.config().replicas(), stack.config().budget()));
    }

    /** Runs after the stack is seeded and before the load starts (warm the cache, schedule chaos). */
    protected void prepare() {
    }

    /** Runs after the load ends and before the audit (end the chaos, wait for events); adds its own verdicts. */
    protected Map<String, Boolean> finish() {
        return Map.of();
    }

    /** The verdicts this simulation gives beyond the audit and the 5xx count (their names, fixed at construction). */
    protected List<String> extraVerdicts() {
        return List.of();
    }

    /**
     * The flash-sale crowd: requests warm up, spike to the configured multiple within the ramp and hold it for the
     * plateau and the extra time given; browsers read the catalogue, buyers hold the hot SKUs.
     */
    protected PopulationBuilder flashSaleCrowd(String name, Duration extra) {
        double warm = settings.arrivals(settings.warmupRate());
        double spike = settings.arrivals(settings.spikeRate());
        return scenario(name).exec(randomSwitch().on(
                        percent(settings.buyerShare() * 100).then(storefront.buy()),
                        percent(100 - settings.buyerShare() * 100).then(storefront.browse())))
                .injectOpen(constantUsersPerSec(warm).during(settings.warmup()),
                        rampUsersPerSec(warm).to(spike).during(settings.ramp()),
                        constantUsersPerSec(spike).during(settings.plateau().plus(extra)));
    }

    /** The hold p99 bound every simulation asserts. */
    protected Assertion holdP99Bound() {
        return details(Storefront.HOLD).responseTime().percentile(99.0).lte((int) settings.holdP99Bound());
    }

    /** The load, followed by the verdict step, with an assertion per verdict added to the given ones. */
    protected void run(PopulationBuilder load, Assertion... assertions) {
        List<String> names = new ArrayList<>(List.of(INVARIANTS, NO_SERVER_ERRORS));
        names.addAll(extraVerdicts());
        ChainBuilder verdict = exec(session -> {
            conclude();
            return session;
        });
        List<Assertion> all = new ArrayList<>(List.of(assertions));
        for (String name : names) {
            verdict = verdict.exec(http(name).get(stack.liveness().toString())
                    .check(status().transform(s -> verdicts.getOrDefault(name, false)).is(true)));
            all.add(details(name).successfulRequests().percent().is(100.0));
        }
        ScenarioBuilder judge = scenario("verdict").exec(verdict);
        setUp(load.andThen(judge.injectOpen(atOnceUsers(1)))).protocols(protocol).assertions(all);
    }

    private void conclude() {
        String loadAtEnd = Machine.loadAverage();
        Map<String, Boolean> extra = new LinkedHashMap<>(finish());
        Path held = stack.config().workDir().resolve(getClass().getSimpleName() + "-held-keys.txt");
        tally.writeHeldKeys(held);
        record.add("## Answers seen by the load tool (every attempt)");
        tally.counts().forEach((k, v) -> record.add("- " + k + ": " + v));
        record.add("- 5xx other than 503: " + tally.serverErrorsOtherThan503());
        record.add("- holds answered 201 (distinct Idempotency-Keys): " + tally.holdsAnswered201());
        record.add("## Audit");
        List<Outcome> outcomes;
        try {
            outcomes = Audit.run(stack.directJdbcUrl(), Stack.DB_USER, Stack.DB_PASSWORD, held);
        } catch (SQLException e) {
            record.add("- the audit could not run: " + e);
            outcomes = List.of();
        }
        outcomes.forEach(o -> record.add("- " + o.line()));
        verdicts.put(INVARIANTS, !outcomes.isEmpty() && outcomes.stream().allMatch(Outcome::passed));
        verdicts.put(NO_SERVER_ERRORS, tally.serverErrorsOtherThan503() == 0);
        verdicts.putAll(extra);
        record.add("## Machine at the end");
        record.add("- load average (1, 5, 15 min) when the load ended: " + loadAtEnd + "; after the audit: "
                + Machine.loadAverage());
        record.add("## Verdicts");
        verdicts.forEach((name, passed) -> record.add("- " + (passed ? "PASS " : "FAIL ") + name));
        write(stack.config().workDir().resolve(getClass().getSimpleName() + "-outcome.md"));
    }

    @Override
    public void after() {
        stack.close();
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
