package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @TempDir
    Path dir;

    @Test
    void whatIsWrittenIsReadBack() {
        Path path = dir.resolve("nested/config.json");
        ConfigFile written = new ConfigFile(Optional.of("http://127.0.0.1:3233"), Optional.of("uuid:key"));

        written.write(path);

        assertThat(ConfigFile.read(path)).isEqualTo(written);
    }

    @Test
    void theFileIsTheDocumentedJson() throws Exception {
        Path path = dir.resolve("config.json");

        new ConfigFile(Optional.of("http://127.0.0.1:3233"), Optional.of("uuid:key")).write(path);

        assertThat(Json.parse(Files.readString(path)))
                .contains(Json.parse("{\"apihost\": \"http://127.0.0.1:3233\", \"auth\": \"uuid:key\"}").orElseThrow());
    }

    @Test
    void onlyItsOwnerMayReadIt() throws Exception {
        Path path = dir.resolve("config.json");

        new ConfigFile(Optional.of("http://h:1"), Optional.of("uuid:key")).write(path);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path))).isEqualTo("rw-------");
    }

    @Test
    void aMissingFileIsEmpty() {
        assertThat(ConfigFile.read(dir.resolve("none.json"))).isEqualTo(ConfigFile.EMPTY);
    }

    @Test
    void fieldsOfOtherTypesAreIgnored() throws Exception {
        Path path = dir.resolve("config.json");
        Files.writeString(path, "{\"apihost\": 3233, \"auth\": \"uuid:key\", \"other\": true}");

        assertThat(ConfigFile.read(path)).isEqualTo(new ConfigFile(Optional.empty(), Optional.of("uuid:key")));
    }
}
