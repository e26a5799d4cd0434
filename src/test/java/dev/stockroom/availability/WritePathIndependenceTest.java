package dev.stockroom.availability;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A decision to sell can never read the cache: nothing on the write path depends on this package. */
class WritePathIndependenceTest {

    private static final List<String> WRITE_PATH = List.of("stock", "reservation", "warehouse");
    /** An import or a qualified name of a class in the package (prose naming the package is fine). */
    private static final Pattern USE = Pattern.compile("dev\\.stockroom\\.availability\\.[A-Za-z*]");

    @Test
    void writePath_sources_neverReferToAvailability() throws IOException {
        // Given
        Path root = Path.of("src/main/java/dev/stockroom");

        // When
        List<String> offenders;
        try (Stream<Path> files = Files.walk(root)) {
            offenders = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> WRITE_PATH.contains(root.relativize(f).getName(0).toString()))
                    .filter(f -> USE.matcher(read(f)).find())
                    .map(f -> root.relativize(f).toString()).toList();
        }

        // Then: the stock package is there to check, and none of the write path mentions availability
        assertThat(root.resolve("stock")).isDirectory();
        assertThat(offenders).isEmpty();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
