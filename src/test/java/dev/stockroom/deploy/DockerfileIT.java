package dev.stockroom.deploy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Dockerfile copies only what {@code ./mvnw package} really produces, and its build context is not ignored.
 *
 * <p>There is no container engine on the build machines, so the image is never built here; this test reads the
 * Dockerfile instead and checks every {@code COPY} against the files on disk after {@code package}.
 */
class DockerfileIT {

    private static final Path DOCKERFILE = Path.of("Dockerfile");
    private static final Path DOCKERIGNORE = Path.of(".dockerignore");

    @Test
    void copyFromBuildStage_everySourceExistsAfterPackage() throws IOException {
        // Given the Dockerfile and the build stage's working directory
        Dockerfile file = Dockerfile.read(DOCKERFILE);
        String buildDir = file.workdirOf("build");

        // When each runtime COPY source is mapped from the build stage to this project's directory
        List<Copy> copies = file.copiesFrom("build");

        // Then there are the four fast-jar layers, dependencies first, and every source matches real files
        assertThat(copies).extracting(Copy::source).containsExactly(
                buildDir + "/target/quarkus-app/lib/", buildDir + "/target/quarkus-app/*.jar",
                buildDir + "/target/quarkus-app/app/", buildDir + "/target/quarkus-app/quarkus/");
        for (Copy copy : copies) {
            String relative = copy.source().substring(buildDir.length() + 1);
            assertThat(matches(Path.of("."), relative)).as("files matching %s", relative).isNotEmpty();
        }
        assertThat(Path.of("target/quarkus-app/quarkus-run.jar")).isRegularFile();
    }

    @Test
    void copyFromContext_noSourceIsDockerignored() throws IOException {
        // Given the context sources the build stage copies and the .dockerignore patterns
        Dockerfile file = Dockerfile.read(DOCKERFILE);
        List<String> ignore = Files.readAllLines(DOCKERIGNORE).stream()
                .map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();

        // When each source is judged by the last pattern that matches it
        List<String> sources = file.copiesFromContext().stream().map(Copy::source).toList();

        // Then each exists in the repository and is sent to the builder, and target/ is not
        assertThat(sources).contains("mvnw", "pom.xml", ".mvn", "src");
        for (String source : sources) {
            assertThat(Path.of(source)).exists();
            assertThat(ignored(ignore, source)).as("%s ignored", source).isFalse();
        }
        assertThat(ignored(ignore, "target")).isTrue();
        assertThat(ignored(ignore, ".git")).isTrue();
    }

    @Test
    void runtimeStage_nonRootWithBothPortsAndContainerAwareHeap() throws IOException {
        // Given the runtime stage of the Dockerfile
        List<String> runtime = Dockerfile.read(DOCKERFILE).lastStage();

        // Then it runs as a numeric non-root user, exposes the API and management ports, and sizes the heap
        // from the container's memory limit
        assertThat(runtime).filteredOn(l -> l.startsWith("USER ")).singleElement()
                .satisfies(l -> assertThat(l.substring(5).strip()).matches("[1-9][0-9]*"));
        assertThat(runtime).filteredOn(l -> l.startsWith("EXPOSE ")).singleElement()
                .satisfies(l -> assertThat(l.split("\\s+")).contains("8080", "9000"));
        assertThat(String.join("\n", runtime)).contains("-XX:MaxRAMPercentage=").contains("quarkus-run.jar");
    }

    private static List<Path> matches(Path root, String glob) throws IOException {
        String pattern = glob.endsWith("/") ? glob.substring(0, glob.length() - 1) : glob;
        var matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        try (Stream<Path> files = Files.walk(root.resolve("target"))) {
            return files.map(root::relativize).filter(matcher::matches)
                    .filter(p -> !glob.endsWith("/") || nonEmptyDirectory(p)).toList();
        }
    }

    private static boolean nonEmptyDirectory(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** Docker's rule: the last matching pattern decides; {@code !} re-includes. Top-level names only. */
    private static boolean ignored(List<String> patterns, String name) {
        boolean ignored = false;
        for (String pattern : patterns) {
            boolean negated = pattern.startsWith("!");
            String glob = negated ? pattern.substring(1) : pattern;
            if (FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(name))) {
                ignored = !negated;
            }
        }
        return ignored;
    }

    /** One source of a COPY instruction and its {@code --from} stage (null for the build context). */
    record Copy(String from, String source) {
    }

    /** The few Dockerfile instructions these checks read, grouped by stage. */
    record Dockerfile(List<List<String>> stages, List<String> stageNames) {

        static Dockerfile read(Path path) throws IOException {
            List<List<String>> stages = new ArrayList<>();
            List<String> names = new ArrayList<>();
            for (String raw : Files.readAllLines(path)) {
                String line = raw.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (line.startsWith("FROM ")) {
                    String[] words = line.split("\\s+");
                    names.add(words.length >= 4 && words[2].equalsIgnoreCase("AS") ? words[3] : "");
                    stages.add(new ArrayList<>());
                }
                stages.get(stages.size() - 1).add(line);
            }
            return new Dockerfile(stages, names);
        }

        List<String> lastStage() {
            return stages.get(stages.size() - 1);
        }

        String workdirOf(String stage) {
            return stages.get(stageNames.indexOf(stage)).stream().filter(l -> l.startsWith("WORKDIR "))
                    .reduce((a, b) -> b).orElseThrow().substring(8).strip();
        }

        List<Copy> copiesFrom(String stage) {
            return copies().stream().filter(c -> stage.equals(c.from())).toList();
        }

        List<Copy> copiesFromContext() {
            return copies().stream().filter(c -> c.from() == null).toList();
        }

        private List<Copy> copies() {
            List<Copy> copies = new ArrayList<>();
            for (List<String> stageLines : stages) {
                for (String line : stageLines) {
                    if (!line.startsWith("COPY ")) {
                        continue;
                    }
                    List<String> words = new ArrayList<>(Arrays.asList(line.substring(5).strip().split("\\s+")));
                    String from = null;
                    while (words.get(0).startsWith("--")) {
                        String flag = words.remove(0);
                        if (flag.startsWith("--from=")) {
                            from = flag.substring(7);
                        }
                    }
                    for (String source : words.subList(0, words.size() - 1)) {
                        copies.add(new Copy(from, source));
                    }
                }
            }
            return copies;
        }
    }
}
