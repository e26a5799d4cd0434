package dev.stockroom.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** The few questions the readiness review asks the repository's history. */
final class Git {

    private Git() {
    }

    static String head() {
        return run("rev-parse", "--short=12", "HEAD").orElse("unknown");
    }

    /** Whether {@code commit} is in HEAD's history. */
    static boolean isAncestor(String commit) {
        return run("merge-base", "--is-ancestor", commit, "HEAD").isPresent();
    }

    /** Commits after {@code commit} up to HEAD that change any of the paths. */
    static int commitsSince(String commit, String... paths) {
        List<String> args = new ArrayList<>(List.of("rev-list", "--count", commit + "..HEAD", "--"));
        args.addAll(List.of(paths));
        return Integer.parseInt(run(args.toArray(String[]::new)).orElse("-1").strip());
    }

    /** The output of a git command, or empty when it failed. */
    static Optional<String> run(String... args) {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        try {
            Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!git.waitFor(30, TimeUnit.SECONDS) || git.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
