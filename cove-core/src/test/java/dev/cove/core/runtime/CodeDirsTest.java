package dev.cove.core.runtime;

import dev.cove.core.model.InvalidFunctionException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class CodeDirsTest {
    @TempDir
    Path dir;

    static byte[] zip(String... namesAndContents) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                zip.putNextEntry(new ZipEntry(namesAndContents[i]));
                zip.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void unpacksIntoTheFolder() throws Exception {
        CodeDirs.unzip(zip("index.js", "x", "lib/a.js", "y"), dir.resolve("pkg"));
        assertThat(dir.resolve("pkg/lib/a.js")).hasContent("y");
    }

    @Test
    void refusesEntriesThatEscapeTheFolder() throws Exception {
        Throwable thrown = catchThrowable(() -> CodeDirs.unzip(zip("../evil.js", "x"), dir.resolve("pkg")));
        assertThat(thrown).isInstanceOf(InvalidFunctionException.class).hasMessageContaining("outside its root");
        assertThat(Files.exists(dir.resolve("evil.js"))).isFalse();
    }

    @Test
    void refusesWhatIsNotAZip() {
        Throwable thrown = catchThrowable(() -> CodeDirs.unzip("hello".getBytes(StandardCharsets.UTF_8), dir.resolve("p")));
        assertThat(thrown).isInstanceOf(InvalidFunctionException.class).hasMessageContaining("zip");
    }
}
