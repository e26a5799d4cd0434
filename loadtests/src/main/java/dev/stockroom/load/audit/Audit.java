package dev.stockroom.load.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The invariant audit: reads the service's database after a run and checks that nothing was oversold, the ledger
 * explains every stock level, every hold is accounted for once, every warehouse event applied at most once, and
 * that the holds in the database are exactly the ones the load tool was answered 201 for.
 *
 * <p>Usage: {@code Audit <jdbc-url> <user> <password> [answered-holds-file]}. The file lists the
 * {@code Idempotency-Key} of every hold answered 201, one a line (the simulations write it). Exits 1 on any
 * violation, 2 on bad arguments.
 */
public final class Audit {

    private static final int EXAMPLES = 3;

    private Audit() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Audit <jdbc-url> <user> <password> [answered-holds-file]");
            System.exit(2);
        }
        Path answered = args.length > 3 ? Path.of(args[3]) : null;
        List<Outcome> outcomes = run(args[0], args[1], args[2], answered);
        System.exit(outcomes.stream().allMatch(Outcome::passed) ? 0 : 1);
    }

    /** Runs every check, prints each with its result, and returns them. */
    public static List<Outcome> run(String url, String user, String password, Path answeredHolds) throws SQLException {
        List<Outcome> outcomes = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            // One snapshot for every check, so that a sweeper or consumer still running cannot make them disagree.
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            c.setReadOnly(true);
            for (Check check : Invariants.ALL) {
                outcomes.add(run(c, check));
            }
            outcomes.add(answeredHolds == null
                    ? new Outcome("201 hold answers seen by the load tool equal the holds in the database", 0, List.of(),
                    "skipped: no answered-holds file given")
                    : compareAnswers(c, answeredHolds));
            c.rollback();
        }
        long failed = outcomes.stream().filter(o -> !o.passed()).count();
        outcomes.forEach(o -> System.out.println("[audit] " + o.line()));
        System.out.println("[audit] " + (failed == 0 ? "PASSED: every invariant holds" : "FAILED: " + failed + " check(s) violated"));
        return outcomes;
    }

    private static Outcome run(Connection c, Check check) throws SQLException {
        long count = 0;
        List<String> examples = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(check.violations())) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                count++;
                if (examples.size() < EXAMPLES) {
                    List<String> columns = new ArrayList<>();
                    for (int i = 1; i <= meta.getColumnCount(); i++) {
                        columns.add(meta.getColumnLabel(i) + "=" + rs.getString(i));
                    }
                    examples.add(String.join(" ", columns));
                }
            }
        }
        return new Outcome(check.name(), count, examples, "");
    }

    /** Compares, key by key, the holds the load tool was answered 201 for with the holds the database has. */
    private static Outcome compareAnswers(Connection c, Path file) throws SQLException {
        Set<String> answered;
        try (var lines = Files.lines(file)) {
            answered = lines.map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.toSet());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        Set<String> stored = new HashSet<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT idempotency_key FROM reservation")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        List<String> problems = new ArrayList<>();
        stored.stream().filter(k -> !answered.contains(k)).limit(EXAMPLES).forEach(k -> problems.add("in database, never answered 201: " + k));
        answered.stream().filter(k -> !stored.contains(k)).limit(EXAMPLES).forEach(k -> problems.add("answered 201, not in database: " + k));
        long mismatches = stored.stream().filter(k -> !answered.contains(k)).count()
                + answered.stream().filter(k -> !stored.contains(k)).count();
        return new Outcome("201 hold answers seen by the load tool equal the holds in the database", mismatches, problems,
                answered.size() + " answered 201, " + stored.size() + " holds in the database");
    }
}
