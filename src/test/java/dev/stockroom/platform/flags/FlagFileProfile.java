package dev.stockroom.platform.flags;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The service reading a flag file of the test's own, polled often so that changes show quickly. */
public class FlagFileProfile implements QuarkusTestProfile {

    static final Path FILE = Path.of("target/flag-tests/flags.json");

    @Override
    public Map<String, String> getConfigOverrides() {
        try {
            Files.createDirectories(FILE.getParent());
            Files.copy(Path.of("deploy/base/flags/flags.json"), FILE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("stockroom.flags.file", FILE.toString(), "stockroom.flags.poll-interval", "100ms");
    }
}
