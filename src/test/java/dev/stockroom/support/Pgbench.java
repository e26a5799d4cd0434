package dev.stockroom.support;

import org.eclipse.microprofile.config.ConfigProvider;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pgbench against the service's own database, the reference that hold figures are measured against: a script of
 * the statement that decides a hold, on the same rows, in the same run.
 */
public final class Pgbench {

    /** The pgbench binary: {@code -Dbench.pgbench}, else the one on the PATH. */
    public static final String BINARY = System.getProperty("bench.pgbench", "pgbench");

    /**
     * The conditional UPDATE that a hold turns into when it is alone, with pgbench variables for its parameters
     * ({@code :q}, {@code :location}; the SKU condition is given) and now() for the clock.
     */
    public static final String RESERVE = "UPDATE stock_level s SET reserved = reserved + :q, version = version + 1,"
            + " updated_at = now() WHERE sku = %s AND location = :location"
            + " AND (on_hand - reserved - committed - safety_stock) >= :q"
            + " AND EXISTS (SELECT 1 FROM location l WHERE l.code = s.location AND l.active)"
            + " RETURNING sku, location, on_hand, reserved, committed, safety_stock, version, updated_at;\n";

    private Pgbench() {
    }

    /** What one pgbench run came to. */
    public record Result(double transactionsPerSecond, double latencyMs) {
    }

    /** Whether pgbench can be started. */
    public static boolean installed() {
        return Commands.installed(BINARY);
    }

    /** Runs {@code script} with {@code clients} clients for {@code seconds}, with the given pgbench variables. */
    public static Result run(String script, Map<String, String> variables, int clients, int seconds)
            throws IOException, InterruptedException {
        Matcher url = Pattern.compile("jdbc:postgresql://([^:/]+):(\\d+)/([^?]+)")
                .matcher(ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class));
        if (!url.find()) {
            throw new IllegalStateException("Not a PostgreSQL JDBC URL");
        }
        Path file = Files.createTempFile("pgbench-", ".sql");
        file.toFile().deleteOnExit();
        Files.writeString(file, script, StandardCharsets.UTF_8);
        List<String> command = new ArrayList<>(List.of(BINARY, "-h", url.group(1), "-p", url.group(2), "-U",
                "postgres", "-n", "-M", "prepared", "-c", Integer.toString(clients), "-j", "2", "-T",
                Integer.toString(seconds), "-f", file.toString()));
        variables.forEach((name, value) -> command.addAll(List.of("-D", name + "=" + value)));
        command.add(url.group(3));
        String out = Commands.run(Map.of("PGPASSWORD", "postgres"), command);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(out);
        Matcher latency = Pattern.compile("latency average = ([0-9.]+) ms").matcher(out);
        if (!tps.find() || !latency.find()) {
            throw new IllegalStateException("pgbench printed no figures:\n" + out);
        }
        return new Result(Double.parseDouble(tps.group(1)), Double.parseDouble(latency.group(1)));
    }
}
