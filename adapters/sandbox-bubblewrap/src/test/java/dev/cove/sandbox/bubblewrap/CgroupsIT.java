package dev.cove.sandbox.bubblewrap;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cove.core.spi.ResourceLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real cgroup of this machine's hierarchy (v1 or v2), as a sandbox's limits change. */
class CgroupsIT {
    private final ScheduledExecutorService remover = Executors.newSingleThreadScheduledExecutor();
    private Cgroups cgroups;

    @BeforeEach
    void detect() {
        cgroups = Cgroups.detect("cove-cgroups-it-" + ProcessHandle.current().pid(), remover)
                .orElseThrow(() -> new AssertionError("no writable cgroups here: the integration tests run as root"));
    }

    @AfterEach
    void close() {
        cgroups.close();
        remover.shutdownNow();
    }

    /**
     * A stem cell starts at 256 MB and is then given its function's memory, which may be more or less;
     * on cgroup v1 the kernel refuses a memory limit above the memory+swap limit, so the order of the
     * writes matters.
     */
    @Test
    void aGroupsMemoryLimitGrowsAndShrinks() throws Exception {
        try (Cgroups.Group group = cgroups.group("resize")) {
            for (int mb : new int[] {256, 512, 128, 1024, 256}) {
                group.limit(ResourceLimits.forFunction(mb));
                assertThat(memoryLimit(group)).as("after asking for %d MB", mb).isEqualTo(mb * 1024L * 1024L);
            }
        }
    }

    /**
     * A new limit writes only the files whose value changes (a cold start's limits differ from a stem
     * cell's in the CPU weight alone), and everything again after {@link Cgroups.Group#letDie}.
     */
    @Test
    void aNewLimitWritesWhatChangesAndEverythingAfterLetDie() throws Exception {
        try (Cgroups.Group group = cgroups.group("changes")) {
            Path pids = group.procsFiles().get(group.procsFiles().size() == 1 ? 0 : 1).getParent().resolve("pids.max");
            Path cpu = cpuGroup(group);
            boolean v1 = Files.exists(cpu.resolve("cpu.shares"));
            Path weight = cpu.resolve(v1 ? "cpu.shares" : "cpu.weight");
            group.limit(ResourceLimits.STEM_CELL);
            assertThat(Files.readString(weight).trim()).isEqualTo(v1 ? "102" : "10");
            Files.writeString(pids, "77"); // a value no limit would write

            group.limit(ResourceLimits.forFunction(256));
            assertThat(Files.readString(weight).trim()).as("the weight changed").isEqualTo(v1 ? "1024" : "100");
            assertThat(Files.readString(pids).trim()).as("the pids limit did not, so it was not written")
                    .isEqualTo("77");
            assertThat(memoryLimit(group)).isEqualTo(256L * 1024 * 1024);

            group.letDie();
            group.limit(ResourceLimits.forFunction(512));
            assertThat(Files.readString(pids).trim()).as("after letDie, everything is written").isEqualTo("128");
            assertThat(Files.readString(weight).trim()).isEqualTo(v1 ? "2048" : "200");
            assertThat(Files.readString(cpu.resolve(v1 ? "cpu.cfs_quota_us" : "cpu.max")).trim()).startsWith("20000");
            assertThat(memoryLimit(group)).isEqualTo(512L * 1024 * 1024);
        }
    }

    /** A sandbox being killed loses its quota (its processes must run to end) and its CPU weight. */
    @Test
    void aGroupLetDieHasNoCpuQuotaAndTheLeastWeight() throws Exception {
        try (Cgroups.Group group = cgroups.group("dying")) {
            group.limit(ResourceLimits.forFunction(128));
            Path cpu = cpuGroup(group);
            boolean v1 = Files.exists(cpu.resolve("cpu.shares"));
            assertThat(Files.readString(cpu.resolve(v1 ? "cpu.cfs_quota_us" : "cpu.max")).trim())
                    .as("a function of 128 MB has half a CPU").startsWith("5000");

            group.letDie();

            if (v1) {
                assertThat(Files.readString(cpu.resolve("cpu.shares")).trim()).isEqualTo("2");
                assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim()).isEqualTo("-1");
            } else {
                assertThat(Files.readString(cpu.resolve("cpu.weight")).trim()).isEqualTo("1");
                assertThat(Files.readString(cpu.resolve("cpu.max")).trim()).startsWith("max ");
            }
        }
    }

    /**
     * A sandbox's processes may still be exiting when it is closed (bwrap's outer process exits before
     * the rest of its pid namespace): what is left in its groups is killed and the groups are removed.
     */
    @Test
    void closingAGroupKillsWhatIsLeftInItAndRemovesIt() throws Exception {
        Process straggler = new ProcessBuilder("sleep", "60").start();
        try {
            Cgroups.Group group = cgroups.group("straggler");
            group.limit(ResourceLimits.forFunction(256));
            for (Path procs : group.procsFiles()) {
                Files.writeString(procs, Long.toString(straggler.pid()));
            }
            assertThat(Files.readString(group.procsFiles().get(0)).trim()).isEqualTo(Long.toString(straggler.pid()));

            group.close();

            assertThat(straggler.waitFor(5, TimeUnit.SECONDS)).as("the process left in the group was killed").isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (group.procsFiles().stream().anyMatch(Files::exists) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(group.procsFiles().stream().map(Path::getParent)).as("the group's folders").noneMatch(Files::exists);
        } finally {
            straggler.destroyForcibly();
        }
    }

    /**
     * A group's processes stop where they stand and run on when thawed, with cgroup v2's freezer: the
     * host's own v2 tree, or the one a v1 host mounts beside its controllers.
     */
    @Test
    void aFrozenGroupsProcessesTakeNoCpuUntilThawed() throws Exception {
        Process spinner = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
        try (Cgroups.Group group = cgroups.group("frozen")) {
            group.join(spinner.pid());
            Path freezer = group.procsFiles().stream().map(Path::getParent)
                    .filter(g -> Files.exists(g.resolve("cgroup.freeze"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no group with a freezer among " + group.procsFiles()));
            assertThat(group.freeze(true)).isTrue();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(freezer.resolve("cgroup.events")).contains("frozen 1") && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(Files.readString(freezer.resolve("cgroup.events"))).contains("frozen 1");
            long frozenAt = cpuTicks(spinner.pid());
            Thread.sleep(300); // the span measured: a spinning process not frozen takes all of it
            assertThat(cpuTicks(spinner.pid())).as("CPU taken while frozen").isEqualTo(frozenAt);

            group.freeze(false);
            while (cpuTicks(spinner.pid()) == frozenAt && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(cpuTicks(spinner.pid())).as("CPU taken once thawed").isGreaterThan(frozenAt);
        } finally {
            spinner.destroyForcibly();
        }
    }

    /** The folder of the group's CPU controller (v1's cpu hierarchy, or v2's one group). */
    private static Path cpuGroup(Cgroups.Group group) {
        return group.procsFiles().stream().map(Path::getParent)
                .filter(g -> Files.exists(g.resolve("cpu.shares")) || Files.exists(g.resolve("cpu.weight")))
                .findFirst().orElseThrow();
    }

    /** A process's user and system CPU time so far, in clock ticks ({@code /proc/PID/stat}). */
    private static long cpuTicks(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }

    /** A server killed with -9 leaves its groups; the next server to start removes them, and only them. */
    @Test
    void aStartingServerRemovesTheGroupsOfServersThatDied() throws Exception {
        Process dead = new ProcessBuilder("true").start();
        dead.waitFor();
        String deadServer = "cove-cgroups-it-" + dead.pid();
        Cgroups left = Cgroups.detect(deadServer, remover).orElseThrow(() -> new AssertionError("no writable cgroups here"));
        Path deadSandbox = left.group("orphan").procsFiles().get(0).getParent();
        Cgroups alive = Cgroups.detect("cove-cgroups-it-alive-" + ProcessHandle.current().pid(), remover).orElseThrow();
        Cgroups.Group kept = alive.group("kept");
        Path aliveSandbox = kept.procsFiles().get(0).getParent();
        try {
            assertThat(deadSandbox).exists();

            Cgroups next = Cgroups.detect("cove-cgroups-it-" + ProcessHandle.current().pid(), remover).orElseThrow();
            next.close();

            assertThat(deadSandbox).doesNotExist();
            assertThat(deadSandbox.getParent()).doesNotExist();
            assertThat(aliveSandbox).as("a live server's group").exists();
        } finally {
            kept.close();
            alive.close();
        }
    }

    private static long memoryLimit(Cgroups.Group group) throws Exception {
        Path memoryGroup = group.procsFiles().get(0).getParent();
        Path v1 = memoryGroup.resolve("memory.limit_in_bytes");
        return Long.parseLong(Files.readString(Files.exists(v1) ? v1 : memoryGroup.resolve("memory.max")).trim());
    }
}
