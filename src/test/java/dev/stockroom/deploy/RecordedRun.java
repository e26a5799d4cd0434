package dev.stockroom.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A load or chaos run recorded under {@code loadtests/results/}: a Markdown file that names the commit it ran on
 * ({@code on commit `abc1234`}) and carries the harness's outcome, with its {@code ## Audit} and {@code ## Verdicts}
 * sections. A run with a {@code ## Chaos} section is a chaos run.
 */
record RecordedRun(Path file, String commit, boolean chaos, List<String> audit, List<String> verdicts,
                   List<String> assertions) {

    private static final Pattern COMMIT = Pattern.compile("commit `([0-9a-f]{7,40})`");
    /** Gatling's assertion lines, e.g. {@code hold: 99th percentile of response time is less than 2000.0 : true (actual : 198.0)}. */
    private static final Pattern ASSERTION = Pattern.compile(".*: (true|false) \\(actual : .*\\)");

    /** Every recorded run directly under {@code dir} that names its commit. */
    static List<RecordedRun> in(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<RecordedRun> runs = new ArrayList<>();
            for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
                parse(file).ifPresent(runs::add);
            }
            return runs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Optional<RecordedRun> parse(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Matcher commit = COMMIT.matcher(String.join("\n", lines));
        if (!commit.find()) {
            return Optional.empty();
        }
        boolean chaos = lines.stream().anyMatch(l -> l.startsWith("## Chaos"));
        List<String> assertions = lines.stream().map(String::strip).filter(l -> ASSERTION.matcher(l).matches())
                .toList();
        return Optional.of(new RecordedRun(file, commit.group(1), chaos, section(lines, "## Audit"),
                section(lines, "## Verdicts"), assertions));
    }

    /** The PASS/FAIL lines of the first section whose heading starts with {@code heading}. */
    private static List<String> section(List<String> lines, String heading) {
        List<String> found = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                if (in) {
                    break;
                }
                in = line.startsWith(heading);
            } else if (in && (line.startsWith("- PASS") || line.startsWith("- FAIL"))) {
                found.add(line.substring(2));
            }
        }
        return found;
    }

    /** Whether the audit and the verdicts were recorded, every line of them passed, and no Gatling assertion failed. */
    boolean clean() {
        return !audit.isEmpty() && !verdicts.isEmpty()
                && Stream.concat(audit.stream(), verdicts.stream()).allMatch(l -> l.startsWith("PASS"))
                && assertions.stream().noneMatch(l -> l.contains(": false (actual"));
    }
}
