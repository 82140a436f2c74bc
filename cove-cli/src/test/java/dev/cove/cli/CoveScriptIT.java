package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./cove's client start-up, run for real on this JDK in a scratch checkout that holds the script, its
 * library and the shaded jar (no sources, so it never builds): the archive of the client's classes it
 * makes once per jar and JDK (an AOT cache on JDK 25+, a dynamic CDS archive before), which holds
 * picocli's classes, and a client that runs without an archive it can't use and says nothing about it.
 */
class CoveScriptIT {
    private static final Path JAR = Path.of("target/cove.jar");
    private static final String SUFFIX = Runtime.version().feature() >= 25 ? ".aot" : ".jsa";

    @TempDir
    Path root;

    @BeforeEach
    void checkout() throws IOException {
        Files.copy(Path.of("../cove"), root.resolve("cove"));
        Files.createDirectories(root.resolve("scripts"));
        Files.copy(Path.of("../scripts/lib.sh"), root.resolve("scripts/lib.sh"));
        Files.createDirectories(root.resolve("cove-cli/target"));
        Files.copy(JAR, root.resolve("cove-cli/target/cove.jar"));
    }

    @Test
    void theFirstCommandMakesTheArchiveAndTheNextLoadsPicocliFromIt() throws Exception {
        assertThat(cove(Map.of(), "version")).isEqualTo(new Run(0, "cove " + version() + "\n", ""));
        Path archive = onlyFile(root.resolve("cove-cli/target/client-cds"));
        assertThat(archive.getFileName().toString()).endsWith(SUFFIX);
        assertThat(Files.size(archive)).isPositive();

        Run logged = cove(Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load"), "version");
        assertThat(logged.out()).contains("picocli.CommandLine source: shared objects file")
                .contains("dev.cove.cli.Main source: shared objects file");
    }

    @Test
    void aClientRunsWithoutAnArchiveItCannotUseAndSaysNothing() throws Exception {
        cove(Map.of(), "version");
        Path archive = onlyFile(root.resolve("cove-cli/target/client-cds"));
        byte[] made = Files.readAllBytes(archive);
        Map<String, byte[]> unusable = Map.of("empty, as a failed training leaves it", new byte[0],
                "cut short", Arrays.copyOf(made, made.length / 3),
                "not an archive", "not an archive".repeat(1000).getBytes());
        for (Map.Entry<String, byte[]> bad : unusable.entrySet()) {
            Files.write(archive, bad.getValue());
            assertThat(cove(Map.of(), "version")).as(bad.getKey())
                    .isEqualTo(new Run(0, "cove " + version() + "\n", ""));
        }
    }

    @Test
    void aNewBuildGetsItsOwnArchiveAndCopyAndTheOldOnesGo() throws Exception {
        cove(Map.of(), "version");
        Path archives = root.resolve("cove-cli/target/client-cds");
        Path copies = root.resolve("cove-cli/target/run");
        Path oldArchive = onlyFile(archives);
        Path oldCopy = onlyFile(copies);

        Path jar = root.resolve("cove-cli/target/cove.jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 10_000));
        assertThat(cove(Map.of(), "version").out()).isEqualTo("cove " + version() + "\n");

        assertThat(onlyFile(archives)).isNotEqualTo(oldArchive);
        assertThat(onlyFile(copies)).isNotEqualTo(oldCopy);
        assertThat(Files.size(onlyFile(archives))).isPositive();
    }

    private record Run(int exit, String out, String err) {}

    /** ./cove in the scratch checkout on this test's JDK, with none of the variables that would point it elsewhere. */
    private Run cove(Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of(root.resolve("cove").toString()),
                Stream.of(args)).toList()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("COVE_") || name.startsWith("JAVA_TOOL"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("./cove %s finished", List.of(args)).isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Path onlyFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> all = files.toList();
            assertThat(all).as("the files in %s", dir).hasSize(1);
            return all.getFirst();
        }
    }

    private static String version() throws IOException {
        try (InputStream in = CoveScriptIT.class.getResourceAsStream("version.properties")) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        }
    }
}
