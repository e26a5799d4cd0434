package dev.stockroom.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

/**
 * Where benchmarks leave their figures for {@code loadtests/bench.sh}: the directory named by {@code -Dbench.out}.
 * Without that property every method does nothing, and the benchmark's printed output is all there is.
 *
 * <ul>
 *   <li>{@code figures.tsv}: one line per figure, {@code group, figure, value, unit, reference, reference value,
 *       ratio}, tab-separated; every benchmark of one run appends to the same file.</li>
 *   <li>{@code facts.tsv}: {@code key, value} lines about the run (database version, pool sizes).</li>
 *   <li>any number of CSV time series, one file each.</li>
 * </ul>
 */
public final class BenchFigures {

    private static final String OUT = System.getProperty("bench.out", "");

    private BenchFigures() {
    }

    /** One figure beside its reference, measured in the same run; the ratio is value / reference. */
    public static void figure(String group, String figure, double value, String unit, String reference,
                              double referenceValue) {
        String ratio = referenceValue == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f", value / referenceValue);
        append("figures.tsv", String.join("\t", group, figure, number(value), unit, reference, number(referenceValue),
                ratio));
    }

    /**
     * The database the figures were measured on, for the summary: its version, {@code max_connections}, and its
     * durability and memory settings under {@code settingsKey}.
     */
    public static void database(Db db, String settingsKey) {
        fact("postgresql", db.rows("SELECT version() AS v").get(0).get("v").toString());
        fact("max_connections", db.rows("SHOW max_connections").get(0).values().iterator().next().toString());
        fact(settingsKey, db.rows("SELECT string_agg(name || '=' || current_setting(name), ', ' ORDER BY name) AS s"
                + " FROM pg_settings WHERE name IN ('fsync', 'synchronous_commit', 'full_page_writes',"
                + " 'shared_buffers')").get(0).get("s").toString());
    }

    /** A fact about the run, for the summary (later values of one key win). */
    public static void fact(String key, String value) {
        append("facts.tsv", key + "\t" + value);
    }

    /** A CSV time series: a header line, then the rows as given. */
    public static void series(String file, String header, List<String> rows) {
        if (OUT.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(Path.of(OUT));
            Files.write(Path.of(OUT, file), java.util.stream.Stream.concat(java.util.stream.Stream.of(header),
                    rows.stream()).toList(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void append(String file, String line) {
        if (OUT.isEmpty()) {
            return;
        }
        try {
            Files.createDirectories(Path.of(OUT));
            Files.writeString(Path.of(OUT, file), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.1f", value);
    }
}
