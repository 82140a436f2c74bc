package dev.cove.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.cove.core.spi.ResourceLimits;
import dev.cove.core.spi.Sandbox;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lines the keeper is sent and sends, and the pids it names. */
class KeeperLinesTest {

    @Test
    void aWorkersPidInTheSandboxIsTheLastOfItsNsPids(@TempDir Path dir) throws Exception {
        Path status = dir.resolve("status");
        Files.writeString(status, "Name:\tnode\nPid:\t4711\nNSpid:\t4711\t3\nThreads:\t7\n");
        assertThat(BubblewrapSandbox.sandboxPid(status)).isEqualTo(3);
        assertThat(BubblewrapSandbox.sandboxPid(dir.resolve("gone"))).as("a process that is gone").isEqualTo(-1);
    }

    @Test
    void aStartCommandIsTabSeparated() {
        Sandbox.Spawn spawn = new Sandbox.Spawn("w-1", List.of("/usr/bin/node", "/w.js", "--token", "t"),
                Map.of("LANG", "C.UTF-8"), ResourceLimits.forFunction(128), 100, (s, l) -> {});
        assertThat(BubblewrapSandbox.startCommand(spawn)).isEqualTo("start\tw-1\t1\tLANG=C.UTF-8\t/usr/bin/node\t/w.js\t--token\tt\n");
    }

    @Test
    void aTabCantSplitAnArgument() {
        Sandbox.Spawn spawn = new Sandbox.Spawn("w-1", List.of("/bin/sh", "a\tb"), Map.of(),
                ResourceLimits.forFunction(128), 100, (s, l) -> {});
        assertThrows(IllegalArgumentException.class, () -> BubblewrapSandbox.startCommand(spawn));
    }

    @Test
    void eventLinesAreReadOneByOneAndBounded() throws Exception {
        var in = new ByteArrayInputStream("exit\tw-1\t3\nstarted".getBytes(StandardCharsets.UTF_8));
        assertThat(BubblewrapSandbox.readHeader(in)).contains("exit\tw-1\t3");
        assertThat(BubblewrapSandbox.readHeader(in)).as("a line cut by the end").isEqualTo(Optional.empty());
        var flood = new ByteArrayInputStream("x".repeat(10_000).getBytes(StandardCharsets.UTF_8));
        assertThrows(IOException.class, () -> BubblewrapSandbox.readHeader(flood));
    }
}
