package dev.cove.core.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A sandbox's budget as the sum of its workers' shares, and the lines the keeper is sent and sends. */
class BudgetTest {
    static final long MB = 1024 * 1024;

    @Test
    void aBudgetIsTheSumOfItsShares() {
        ResourceLimits budget = ResourceLimits.sum(List.of(ResourceLimits.forFunction(128), ResourceLimits.forFunction(256)));
        assertThat(budget.memoryBytes()).isEqualTo(384 * MB);
        assertThat(budget.pids()).isEqualTo(256);
        assertThat(budget.cpuWeight()).isEqualTo(150);
        assertThat(budget.cpus()).isEqualTo(Math.min(Runtime.getRuntime().availableProcessors(), 1.5));
    }

    @Test
    void oneShareIsItsOwnBudget() {
        ResourceLimits share = ResourceLimits.forFunction(512);
        assertThat(ResourceLimits.sum(List.of(share))).isEqualTo(share);
    }

    @Test
    void weightAndCpusAreCapped() {
        ResourceLimits big = ResourceLimits.forFunction(16_384);
        ResourceLimits budget = ResourceLimits.sum(List.of(big, big));
        assertThat(budget.cpuWeight()).isEqualTo(10_000);
        assertThat(budget.cpus()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void noSharesNoBudget() {
        assertThrows(IllegalArgumentException.class, () -> ResourceLimits.sum(List.of()));
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
        assertThrows(java.io.IOException.class, () -> BubblewrapSandbox.readHeader(flood));
    }

    @Test
    void linesAreCutAndTheLastOneKept() {
        List<String> lines = new ArrayList<>();
        Lines splitter = new Lines(4, lines::add);
        byte[] text = "ab\ncdefgh\nij".getBytes(StandardCharsets.UTF_8);
        splitter.accept(text, 0, 5);
        splitter.accept(text, 5, text.length - 5);
        splitter.finish();
        assertThat(lines).containsExactly("ab", "cdef [line cut at 4 bytes]", "ij");
    }
}
