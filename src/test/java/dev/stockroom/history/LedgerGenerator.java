package dev.stockroom.history;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/generate-ledger}: writes a realistic movement ledger of a given size straight into PostgreSQL, or loads
 * a CSV export with its names replaced by stable pseudonyms. See docs/history.md, "Data of production size".
 */
public final class LedgerGenerator {

    private static final String USAGE = """
            bin/generate-ledger [options]                     a synthetic ledger
            bin/generate-ledger --csv FILE --key-file FILE    a CSV export, masked with keyed pseudonyms

              --rows N          rows to write (default 10000000)
              --skus N          SKUs (default rows / 200, between 20 and 100000), Zipf popularity
              --locations N     locations (default 40), a fifth of them warehouses
              --days N          days of history (default 400), ending the day before --end
              --end DATE        first day after the history (default today, UTC)
              --seed N          random seed (default 1); the same options write the same ledger
              --prefix TEXT     prefix of every SKU, location and event id (default none)
              --csv FILE        load this CSV export instead (header: stock_movement's column names)
              --key-file FILE   secret key of the pseudonyms (at least 16 bytes); or env STOCKROOM_PSEUDONYM_KEY
              --keep-reasons    keep adjustment reasons as they are (masked by default)
              --no-stock-levels do not write stock levels
              --no-rollup       leave the daily rollup to the service's rollup job
              --url, --user, --password   the database (default env STOCKROOM_DB_URL, STOCKROOM_DB_USER,
                                STOCKROOM_DB_PASSWORD, else dev mode's jdbc:postgresql://localhost:5433/postgres)
            """;

    private LedgerGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        if (o.containsKey("help")) {
            System.out.print(USAGE);
            return;
        }
        PrintStream out = System.out;
        String url = o.getOrDefault("url", env("STOCKROOM_DB_URL", "jdbc:postgresql://localhost:5433/postgres"));
        try (Connection c = DriverManager.getConnection(url, o.getOrDefault("user", env("STOCKROOM_DB_USER",
                "postgres")),
                o.getOrDefault("password", env("STOCKROOM_DB_PASSWORD", "postgres")))) {
            LedgerLoader.Options options = new LedgerLoader.Options(!o.containsKey("no-stock-levels"),
                    !o.containsKey("no-rollup"));
            LedgerLoader.Result result;
            if (o.containsKey("csv")) {
                Pseudonyms pseudonyms = new Pseudonyms(key(o.get("key-file")));
                try (BufferedReader in = Files.newBufferedReader(Path.of(o.get("csv")), StandardCharsets.UTF_8)) {
                    out.printf("loading %s into %s, names replaced by keyed pseudonyms%n", o.get("csv"), url);
                    result = new LedgerLoader(c, out).load(new CsvLedger(in, pseudonyms, o.containsKey("keep-reasons"),
                            20_000), Files.size(Path.of(o.get("csv"))) / 120, List.of(), options);
                }
            } else {
                SyntheticLedger.Shape shape = shape(o);
                out.printf("generating %,d rows: %,d SKUs at %d locations over %d days to %s, seed %d, into %s%n",
                        shape.rows(), shape.skus(), shape.locations(), shape.days(), shape.end().minusDays(1),
                        shape.seed(), url);
                SyntheticLedger ledger = new SyntheticLedger(shape);
                result = new LedgerLoader(c, out).load(ledger, shape.rows(), ledger.locations(), options);
            }
            out.printf("done: %,d rows, %,d stock levels (%,d skipped), %,d rows rolled up, in %d s (%,.0f rows/s"
                    + " overall)%n", result.rows(), result.stockLevels(), result.levelsSkipped(),
                    result.rolledUp(), result.elapsed().toSeconds(),
                    result.rows() / Math.max(0.001, result.elapsed().toMillis() / 1000.0));
        }
    }

    static SyntheticLedger.Shape shape(Map<String, String> o) {
        long rows = Long.parseLong(o.getOrDefault("rows", "10000000"));
        int skus = Integer.parseInt(o.getOrDefault("skus",
                String.valueOf(Math.max(20, Math.min(100_000, rows / 200)))));
        return new SyntheticLedger.Shape(rows, skus, Integer.parseInt(o.getOrDefault("locations", "40")),
                Integer.parseInt(o.getOrDefault("days", "400")),
                LocalDate.parse(o.getOrDefault("end", LocalDate.now(ZoneOffset.UTC).toString())),
                Long.parseLong(o.getOrDefault("seed", "1")), o.getOrDefault("prefix", ""));
    }

    private static byte[] key(String file) throws IOException {
        if (file != null) {
            return Files.readAllBytes(Path.of(file));
        }
        String key = System.getenv("STOCKROOM_PSEUDONYM_KEY");
        if (key == null) {
            throw new IllegalArgumentException("--csv needs a secret key: --key-file FILE or STOCKROOM_PSEUDONYM_KEY");
        }
        return key.getBytes(StandardCharsets.UTF_8);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("Unexpected argument " + args[i] + "\n" + USAGE);
            }
            String name = args[i].substring(2);
            boolean flag = List.of("help", "keep-reasons", "no-stock-levels", "no-rollup").contains(name);
            if (!flag && i + 1 == args.length) {
                throw new IllegalArgumentException("--" + name + " needs a value\n" + USAGE);
            }
            options.put(name, flag ? "" : args[++i]);
        }
        return options;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
