package dev.cove.core.runtime;

import dev.cove.core.model.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileNamesTest {
    /** Every character a name may hold. */
    private static final String CHARACTERS = "_.@-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    @TempDir
    Path dir;

    /** A valid name of {@code length} characters, cycling through all of them. */
    private static String name(int length) {
        StringBuilder name = new StringBuilder("a");
        for (int i = 1; i < length; i++) {
            name.append(CHARACTERS.charAt(i % CHARACTERS.length()));
        }
        FunctionSpec.requireName(name.toString());
        return name.toString();
    }

    @Test
    void aNameThatFitsIsItsOwnFileNameAsItAlwaysWas() {
        IntStream.rangeClosed(1, 255).mapToObj(FileNamesTest::name)
                .forEach(name -> assertThat(FileNames.of(name)).isEqualTo(name));
    }

    @Test
    void aLongerNameIsItsPrefixAndItsHashAndNeverChanges() {
        // kept on disk: a data folder written by this version must be found by the next
        assertThat(FileNames.of("x".repeat(256))).isEqualTo("x".repeat(238) + "~85e62acd750c4eb5");
        assertThat(FileNames.of("x".repeat(255) + "y")).isEqualTo("x".repeat(238) + "~15461d2bad190af9");
    }

    @Test
    void everyFileNameIsOneThisFileSystemTakes() throws Exception {
        // names, and code keys (NAME@VERSION) in sandboxes
        for (String name : new String[] {name(1), name(255), name(256), name(254) + "@1", name(256) + "@1000000"}) {
            String fileName = FileNames.of(name);
            assertThat(fileName.length()).isLessThanOrEqualTo(FileNames.MAX_BYTES);
            assertThat(Files.createDirectory(dir.resolve(fileName))).isDirectory();
        }
    }

    @Test
    void aShortenedFileNameIsNoNameSoItIsNeverAnotherNamesOwn() {
        String shortened = FileNames.of(name(256));
        assertThat(shortened).hasSize(FileNames.MAX_BYTES).contains("~");
        assertThatThrownBy(() -> FunctionSpec.requireName(shortened)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FileNames.of(name(255) + "x")).as("the same prefix").isNotEqualTo(FileNames.of(name(255) + "y"));
    }
}
