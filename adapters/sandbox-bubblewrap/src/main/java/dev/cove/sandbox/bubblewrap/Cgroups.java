package dev.cove.sandbox.bubblewrap;

import dev.cove.core.spi.ResourceLimits;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory, pids and CPU limits through cgroups, v1 (separate memory, pids and cpu hierarchies) or v2
 * (one unified hierarchy with those controllers), behind one interface. Every sandbox's keeper and
 * every worker gets a group of its own under a group for this server, itself under the cgroup this
 * server runs in (the only place it may be allowed to create groups). A process joins by having its
 * pid written to the groups' {@code cgroup.procs} before it execs its program, so that everything it
 * starts is counted. Where no cgroups can be used, {@link #none} stands in: it limits and counts nothing.
 */
abstract class Cgroups {
    private static final Logger LOG = LoggerFactory.getLogger(Cgroups.class);
    private static final Path ROOT = Path.of("/sys/fs/cgroup");

    /** One keeper's or one worker's groups. */
    interface Group extends AutoCloseable {
        /** The {@code cgroup.procs} files a process writes its pid to, to join. */
        List<Path> procsFiles();

        /** Moves a process (by its pid on this host) into the groups. */
        default void join(long pid) throws IOException {
            for (Path procs : procsFiles()) {
                write(procs, Long.toString(pid));
            }
        }

        /**
         * Kills every process in the groups now; after {@link #stopForks}, that is all of them (else one
         * that forks meanwhile may leave a child).
         */
        default void killAll() {
            killProcesses(procsFiles().get(0));
        }

        /**
         * Lets no process of the groups start another from now on: a fork bomb at its limit refills
         * every slot a kill frees faster than the kills go round, so it is held first, then killed.
         */
        void stopForks();

        void limit(ResourceLimits limits) throws IOException;

        /** How many times the kernel killed a process of the group for want of memory. */
        long oomKills();

        /** How many times the kernel refused a fork or a thread because the group was at its pids limit. */
        long pidsLimitHits();

        /**
         * Lets processes being killed end without slowing anyone else: lifts the CPU quota (a
         * throttled fork bomb would take seconds to die, its 128 processes sharing a fraction of a
         * CPU) and drops the CPU weight to the least, so that their ending takes only CPU that no
         * other sandbox and not the platform wants.
         */
        void letDie();

        /**
         * Freezes every process of the group where it stands, or thaws them, with cgroup v2's freezer
         * ({@code cgroup.freeze}); answers false, changing nothing, where there is none. v1's freezer is
         * not used: thawing through it took 8.7 ms here (a python worker starts from a stem cell in 6),
         * v2's 0.07 ms, and hosts with v1 controllers usually mount the v2 tree beside them.
         */
        boolean freeze(boolean frozen);

        /**
         * Removes the groups, killing whatever is still in them; see {@link #removeGroups} for why
         * that may take a moment.
         */
        @Override
        void close();
    }

    /** A short period, so that a group over its CPU quota waits milliseconds, not a tenth of a second. */
    static final long CPU_PERIOD_US = 10_000;
    private static final long REMOVAL_RETRY_MS = 50;
    private static final int REMOVAL_ATTEMPTS = 100;
    private static final Duration REMOVALS_AT_CLOSE = Duration.ofSeconds(5);

    private final Set<CompletableFuture<Void>> removals = ConcurrentHashMap.newKeySet();
    /** Tries again to remove groups that still held processes. */
    private final ScheduledExecutorService remover;

    Cgroups(ScheduledExecutorService remover) {
        this.remover = remover;
    }

    abstract Group group(String name) throws IOException;

    /** Whether its groups limit anything: false for {@link #none}. */
    boolean limits() {
        return true;
    }

    /** Removes this server's parent groups, once its sandboxes' groups are gone. */
    final void close() {
        CompletableFuture<?>[] pending = removals.toArray(CompletableFuture<?>[]::new);
        try {
            CompletableFuture.allOf(pending).get(REMOVALS_AT_CLOSE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("sandbox cgroups were still being removed at close", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        removeParents();
    }

    abstract void removeParents();

    abstract String describe();

    /**
     * The cgroups this process may use, or empty with the reason logged: not root, no controllers
     * (a v2 tree whose subtree_control offers none), or a read-only /sys.
     *
     * @param remover where removals of groups that still hold processes are tried again
     */
    static Optional<Cgroups> detect(String serverName, ScheduledExecutorService remover) {
        try {
            Path memory = ROOT.resolve("memory");
            if (Files.isDirectory(memory) && Files.exists(memory.resolve("cgroup.procs"))) {
                return Optional.of(V1.open(serverName, remover));
            }
            if (Files.exists(ROOT.resolve("cgroup.controllers"))) {
                return V2.open(serverName, remover);
            }
            LOG.warn("no cgroup hierarchy with a memory controller under {}", ROOT);
        } catch (IOException e) {
            LOG.warn("cgroups can't be used here: {}", e.getMessage());
        }
        return Optional.empty();
    }

    /** Where this process sits in a hierarchy, from /proc/self/cgroup ("4:memory:/a/b" or "0::/a/b"). */
    static Path ownGroup(Path hierarchy, String controller) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            boolean matches = controller.isEmpty() ? parts[0].equals("0") && parts[1].isEmpty()
                    : List.of(parts[1].split(",")).contains(controller);
            if (parts.length == 3 && matches) {
                return hierarchy.resolve(parts[2].substring(1));
            }
        }
        return hierarchy;
    }

    /** A named counter of a flat-keyed cgroup file ("name value" lines), 0 when absent or unreadable. */
    static long counter(Path file, String name) {
        try {
            return counter(Files.readString(file), name);
        } catch (IOException | NumberFormatException e) {
            LOG.debug("could not read {}", file, e);
            return 0;
        }
    }

    private static long counter(String text, String name) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Long.parseLong(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    /**
     * A named counter of a small flat-keyed cgroup file that is read over and over (the sandbox
     * watchdog reads each worker's pids.events many times a second): the file stays open and each read
     * is one pread of its start, which the kernel answers with the file's content as of now. Opening,
     * reading and closing the file each time kept the watchdog busy with only idle sandboxes. 0 when
     * absent or unreadable, and once closed.
     */
    static final class Counter implements AutoCloseable {
        private final Path file;
        private final String name;
        private final ByteBuffer buffer = ByteBuffer.allocate(512);
        private FileChannel channel;
        private boolean closed;

        Counter(Path file, String name) {
            this.file = file;
            this.name = name;
        }

        synchronized long read() {
            if (closed) {
                return 0;
            }
            try {
                if (channel == null) {
                    channel = FileChannel.open(file, StandardOpenOption.READ);
                }
                buffer.clear();
                channel.read(buffer, 0);
                return counter(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII), name);
            } catch (IOException | NumberFormatException e) {
                LOG.debug("could not read {}", file, e);
                return 0;
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException e) {
                    LOG.debug("could not close {}", file, e);
                }
            }
        }
    }

    /**
     * The limits a group's files hold, so that a change writes only the files that change: a cold
     * start turns a stem cell's limits into its function's, which for a function of 256 MB is the CPU
     * weight alone, and each write of a control file is a noticeable part of a cold start (run by the
     * interpreter: cold starts are too rare for it to be compiled). Unknown until a first limit and
     * after {@link Group#letDie}, and while a limit is being written, so that a write that fails leaves
     * the next limit to write everything.
     */
    private static final class Applied {
        /** Null while unknown. */
        private ResourceLimits limits;

        /** What writing {@code next} changes; what the files hold is unknown from now until {@link #set}. */
        synchronized Change take(ResourceLimits next) {
            Change change = limits == null ? new Change(next, next, false) : new Change(limits, next, true);
            limits = null;
            return change;
        }

        synchronized void forget() {
            limits = null;
        }

        synchronized void set(ResourceLimits applied) {
            limits = applied;
        }
    }

    /** The limits the files held before a change, if {@code known}, and the next ones. */
    private record Change(ResourceLimits was, ResourceLimits next, boolean known) {
        /** Whether a field of the next limits differs from what the files hold: always, when that is unknown. */
        boolean of(Function<ResourceLimits, Object> field) {
            return !known || !field.apply(was).equals(field.apply(next));
        }
    }

    static void write(Path file, String value) throws IOException {
        Files.writeString(file, value);
    }

    static void writeQuietly(Path file, String value) {
        try {
            write(file, value);
        } catch (IOException e) {
            LOG.debug("could not write {} to {}", value, file, e);
        }
    }

    /** The CPU time a group may use per {@link #CPU_PERIOD_US}, in microseconds (see ResourceLimits#cpus). */
    static long quotaMicros(ResourceLimits limits) {
        return Math.round(limits.cpus() * CPU_PERIOD_US);
    }

    /**
     * Removes a closed sandbox's groups. A group that still holds a process can't be removed, and a
     * sandbox's processes may still be on their way out when it closes: bwrap's outer process, the one
     * the platform waits for, exits as soon as the worker has, and the kernel ends the rest of the pid
     * namespace only after that. So whatever is left is killed, and what can't be removed yet is tried
     * again in the background for a while. (Without this, most sandboxes left their groups behind.)
     */
    final void removeGroups(List<Path> groups) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        removals.add(done);
        done.whenComplete((v, e) -> removals.remove(done));
        attemptRemoval(groups, 1, done);
    }

    private void attemptRemoval(List<Path> groups, int attempt, CompletableFuture<Void> done) {
        List<Path> left = groups.stream().filter(g -> !killAndRemove(g)).toList();
        if (left.isEmpty()) {
            done.complete(null);
        } else if (attempt >= REMOVAL_ATTEMPTS) {
            LOG.warn("cgroups {} still hold processes after {} attempts to empty them; left in place", left, attempt);
            done.complete(null);
        } else {
            retryRemoval(left, attempt, done);
        }
    }

    private void retryRemoval(List<Path> left, int attempt, CompletableFuture<Void> done) {
        try {
            remover.schedule(() -> attemptRemoval(left, attempt + 1, done), REMOVAL_RETRY_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) { // the sandboxes have closed
            LOG.warn("cgroups {} still held processes when the sandboxes closed; left in place", left);
            done.complete(null);
        }
    }

    /** Kills what is left in the group, then removes it; answers whether it is gone. */
    private static boolean killAndRemove(Path group) {
        if (!Files.exists(group)) {
            return true;
        }
        killProcesses(group.resolve("cgroup.procs"));
        try {
            Files.deleteIfExists(group);
            return true;
        } catch (IOException e) {
            return !Files.exists(group);
        }
    }

    /** Writes a v2 group's {@code cgroup.freeze}; false when it can't (a kernel before 5.2, the group gone). */
    private static boolean freezeV2(Path group, boolean frozen) {
        try {
            write(group.resolve("cgroup.freeze"), frozen ? "1" : "0");
            return true;
        } catch (IOException e) {
            LOG.debug("could not {} {}: {}", frozen ? "freeze" : "thaw", group, e.getMessage());
            return false;
        }
    }

    private static void killProcesses(Path procs) {
        try {
            for (String pid : Files.readAllLines(procs)) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("could not kill the processes of {}", procs.getParent(), e);
        }
    }

    /**
     * Removes what servers that ended without closing (a {@code kill -9}) left in {@code dir}: groups
     * named like {@code serverName} ({@code <prefix>-<pid>}, with {@code -server} on v2) for a pid
     * that no longer runs, and their sandboxes' groups, which died with their server.
     */
    static void removeDeadServers(Path dir, String serverName) {
        String prefix = serverName.substring(0, serverName.lastIndexOf('-') + 1);
        Pattern left = Pattern.compile(Pattern.quote(prefix) + "(\\d+)(-server)?");
        try (Stream<Path> children = Files.list(dir)) {
            for (Path group : children.toList()) {
                Matcher m = left.matcher(group.getFileName().toString());
                if (Files.isDirectory(group) && m.matches()
                        && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                    try (Stream<Path> sandboxes = Files.list(group)) {
                        sandboxes.filter(Files::isDirectory).forEach(Cgroups::killAndRemove);
                    }
                    removeQuietly(group);
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.debug("could not look for groups of ended servers in {}", dir, e);
        }
    }

    static void removeQuietly(Path group) {
        try {
            Files.deleteIfExists(group);
        } catch (IOException e) {
            LOG.debug("could not remove cgroup {}: {}", group, e.getMessage());
        }
    }

    /**
     * No usable cgroups: nothing is limited or counted, so no worker is ever found over a limit, and
     * each stays in the groups its keeper was started in.
     */
    static Cgroups none(ScheduledExecutorService remover) {
        return new None(remover);
    }

    private static final class None extends Cgroups {
        private static final Group NO_GROUP = new Group() {
            @Override
            public List<Path> procsFiles() {
                return List.of();
            }

            @Override
            public void killAll() {
                // its processes are killed with their sandbox
            }

            @Override
            public void stopForks() {}

            @Override
            public void limit(ResourceLimits limits) {}

            @Override
            public long oomKills() {
                return 0;
            }

            @Override
            public long pidsLimitHits() {
                return 0;
            }

            @Override
            public void letDie() {}

            @Override
            public boolean freeze(boolean frozen) {
                return false;
            }

            @Override
            public void close() {}
        };

        None(ScheduledExecutorService remover) {
            super(remover);
        }

        @Override
        Group group(String name) {
            return NO_GROUP;
        }

        @Override
        boolean limits() {
            return false;
        }

        @Override
        void removeParents() {}

        @Override
        String describe() {
            return "no cgroup limits";
        }
    }

    /**
     * cgroup v1: a group in each of the memory, pids and cpu hierarchies, and one in the v2 tree mounted
     * beside them (a "hybrid" host) for its freezer, where there is one.
     */
    static final class V1 extends Cgroups {
        private final Path memory;
        private final Path pids;
        private final Path cpu;
        private final Optional<Path> unified;

        private V1(Path memory, Path pids, Path cpu, Optional<Path> unified, ScheduledExecutorService remover) {
            super(remover);
            this.memory = memory;
            this.pids = pids;
            this.cpu = cpu;
            this.unified = unified;
        }

        static V1 open(String serverName, ScheduledExecutorService remover) throws IOException {
            List<Path> groups = new ArrayList<>();
            for (String controller : List.of("memory", "pids", "cpu")) {
                Path own = ownGroup(ROOT.resolve(controller), controller);
                removeDeadServers(own, serverName);
                groups.add(Files.createDirectories(own.resolve(serverName)));
            }
            return new V1(groups.get(0), groups.get(1), groups.get(2), unified(serverName), remover);
        }

        /** This server's group in the v2 tree of a hybrid host, for its freezer; empty where there is none. */
        private static Optional<Path> unified(String serverName) {
            Path tree = ROOT.resolve("unified");
            if (!Files.exists(tree.resolve("cgroup.procs"))) {
                return Optional.empty();
            }
            try {
                Path own = ownGroup(tree, "");
                removeDeadServers(own, serverName);
                return Optional.of(Files.createDirectories(own.resolve(serverName)));
            } catch (IOException e) {
                LOG.info("idle instances are not paused: the cgroup v2 tree at {} takes no group of this server: {}",
                        tree, e.getMessage());
                return Optional.empty();
            }
        }

        @Override
        Group group(String name) throws IOException {
            Path m = Files.createDirectories(memory.resolve(name));
            Path p = Files.createDirectories(pids.resolve(name));
            Path c = Files.createDirectories(cpu.resolve(name));
            Optional<Path> u = unified.isPresent() ? Optional.of(Files.createDirectories(unified.get().resolve(name)))
                    : Optional.empty();
            return new Group() {
                private final Applied applied = new Applied();
                private final Counter pidsLimitHits = new Counter(p.resolve("pids.events"), "max");

                @Override
                public List<Path> procsFiles() {
                    List<Path> files = new ArrayList<>(List.of(m.resolve("cgroup.procs"), p.resolve("cgroup.procs"),
                            c.resolve("cgroup.procs")));
                    u.ifPresent(g -> files.add(g.resolve("cgroup.procs")));
                    return files;
                }

                @Override
                public boolean freeze(boolean frozen) {
                    return u.isPresent() && freezeV2(u.get(), frozen);
                }

                @Override
                public void limit(ResourceLimits limits) throws IOException {
                    Change change = applied.take(limits);
                    if (change.of(ResourceLimits::memoryBytes)) {
                        limitMemory(m, limits.memoryBytes());
                    }
                    if (change.of(ResourceLimits::pids)) {
                        write(p.resolve("pids.max"), Integer.toString(limits.pids()));
                    }
                    if (change.of(ResourceLimits::cpuWeight)) {
                        // v1's cpu.shares is 1024 for an ordinary process where v2's weight is 100
                        write(c.resolve("cpu.shares"), Integer.toString(Math.max(2, limits.cpuWeight() * 1024 / 100)));
                    }
                    if (!change.known()) {
                        write(c.resolve("cpu.cfs_period_us"), Long.toString(CPU_PERIOD_US));
                    }
                    if (change.of(ResourceLimits::cpus)) {
                        write(c.resolve("cpu.cfs_quota_us"), Long.toString(quotaMicros(limits)));
                    }
                    applied.set(limits);
                }

                @Override
                public long oomKills() {
                    return counter(m.resolve("memory.oom_control"), "oom_kill");
                }

                @Override
                public long pidsLimitHits() {
                    return pidsLimitHits.read();
                }

                @Override
                public void stopForks() {
                    applied.forget();
                    writeQuietly(p.resolve("pids.max"), "0");
                }

                @Override
                public void letDie() {
                    applied.forget();
                    writeQuietly(c.resolve("cpu.shares"), "2");
                    writeQuietly(c.resolve("cpu.cfs_quota_us"), "-1");
                }

                @Override
                public void close() {
                    pidsLimitHits.close();
                    List<Path> groups = new ArrayList<>(List.of(m, p, c));
                    u.ifPresent(groups::add);
                    removeGroups(groups);
                }
            };
        }

        /**
         * Sets memory and memory+swap to the same bytes, so there is no swapping past the limit. The
         * kernel refuses (EINVAL) any moment where memory would exceed memory+swap, so a limit that
         * grows (a stem cell given a function with more memory) moves memory+swap first, and one that
         * shrinks moves memory first.
         */
        static void limitMemory(Path group, long bytes) throws IOException {
            Path memory = group.resolve("memory.limit_in_bytes");
            Path memsw = group.resolve("memory.memsw.limit_in_bytes");
            if (!Files.exists(memsw)) {
                write(memory, Long.toString(bytes));
                return;
            }
            boolean growing = bytes > Long.parseLong(Files.readString(memory).trim());
            List<Path> order = growing ? List.of(memsw, memory) : List.of(memory, memsw);
            for (Path file : order) {
                write(file, Long.toString(bytes));
            }
        }

        @Override
        void removeParents() {
            removeQuietly(memory);
            removeQuietly(pids);
            removeQuietly(cpu);
            unified.ifPresent(Cgroups::removeQuietly);
        }

        @Override
        String describe() {
            return "cgroup v1 (" + memory.getParent() + ")";
        }
    }

    /** cgroup v2: one group with the memory, pids and cpu controllers enabled above it. */
    static final class V2 extends Cgroups {
        private final Path parent;

        private V2(Path parent, ScheduledExecutorService remover) {
            super(remover);
            this.parent = parent;
        }

        /**
         * v2 lets a group hand controllers to its children only while it holds no process itself, so
         * this server first moves into a leaf of its own group.
         */
        static Optional<Cgroups> open(String serverName, ScheduledExecutorService remover) throws IOException {
            Path own = ownGroup(ROOT, "");
            removeDeadServers(own, serverName);
            Path self = Files.createDirectories(own.resolve(serverName + "-server"));
            try {
                write(self.resolve("cgroup.procs"), Long.toString(ProcessHandle.current().pid()));
            } catch (IOException e) {
                removeQuietly(self);
                LOG.warn("cgroup v2 at {} does not let this server move into a group of its own: {}", own, e.getMessage());
                return Optional.empty();
            }
            Path parent = Files.createDirectories(own.resolve(serverName));
            List<String> missing = new ArrayList<>();
            for (String controller : List.of("memory", "pids", "cpu")) {
                try {
                    write(own.resolve("cgroup.subtree_control"), "+" + controller);
                    write(parent.resolve("cgroup.subtree_control"), "+" + controller);
                } catch (IOException e) {
                    missing.add(controller);
                }
            }
            if (missing.contains("memory") || missing.contains("pids")) {
                removeQuietly(parent);
                LOG.warn("cgroup v2 at {} offers no {} controller to this server", own, String.join(", ", missing));
                return Optional.empty();
            }
            return Optional.of(new V2(parent, remover));
        }

        @Override
        Group group(String name) throws IOException {
            Path g = Files.createDirectories(parent.resolve(name));
            return new Group() {
                private final Applied applied = new Applied();
                private final Counter pidsLimitHits = new Counter(g.resolve("pids.events"), "max");

                @Override
                public List<Path> procsFiles() {
                    return List.of(g.resolve("cgroup.procs"));
                }

                @Override
                public boolean freeze(boolean frozen) {
                    return freezeV2(g, frozen);
                }

                @Override
                public void limit(ResourceLimits limits) throws IOException {
                    Change change = applied.take(limits);
                    if (change.of(ResourceLimits::memoryBytes)) {
                        write(g.resolve("memory.max"), Long.toString(limits.memoryBytes()));
                    }
                    if (!change.known() && Files.exists(g.resolve("memory.swap.max"))) {
                        write(g.resolve("memory.swap.max"), "0");
                    }
                    if (change.of(ResourceLimits::pids)) {
                        write(g.resolve("pids.max"), Integer.toString(limits.pids()));
                    }
                    if (Files.exists(g.resolve("cpu.weight"))) {
                        if (change.of(ResourceLimits::cpuWeight)) {
                            write(g.resolve("cpu.weight"), Integer.toString(limits.cpuWeight()));
                        }
                        if (change.of(ResourceLimits::cpus)) {
                            write(g.resolve("cpu.max"), quotaMicros(limits) + " " + CPU_PERIOD_US);
                        }
                    }
                    applied.set(limits);
                }

                @Override
                public long oomKills() {
                    return counter(g.resolve("memory.events"), "oom_kill");
                }

                @Override
                public long pidsLimitHits() {
                    return pidsLimitHits.read();
                }

                @Override
                public void stopForks() {
                    applied.forget();
                    writeQuietly(g.resolve("pids.max"), "0");
                }

                @Override
                public void letDie() {
                    applied.forget();
                    writeQuietly(g.resolve("cpu.weight"), "1");
                    writeQuietly(g.resolve("cpu.max"), "max " + CPU_PERIOD_US);
                }

                @Override
                public void close() {
                    pidsLimitHits.close();
                    removeGroups(List.of(g));
                }
            };
        }

        @Override
        void removeParents() {
            removeQuietly(parent);
        }

        @Override
        String describe() {
            return "cgroup v2 (" + parent.getParent() + ")";
        }
    }
}
