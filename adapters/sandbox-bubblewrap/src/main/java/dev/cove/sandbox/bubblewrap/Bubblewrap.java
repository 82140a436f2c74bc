package dev.cove.sandbox.bubblewrap;

import dev.cove.core.spi.ChildProcesses;
import dev.cove.core.spi.ResourceLimits;
import dev.cove.core.spi.Sandbox;
import dev.cove.core.spi.SandboxFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workers in bubblewrap sandboxes: their own user, pid, mount, ipc, uts, cgroup and network
 * namespaces; the system's /usr read-only and little else of the host; the function's code
 * read-only at /code; a private, size-capped /tmp; no capabilities, no new privileges, nested user
 * namespaces refused, a seccomp filter; the cgroups of {@link Cgroups} for memory, pids and CPU.
 *
 * <p>Java can't do anything in a child between fork and exec, so a two-line shell script does it:
 * it writes its own pid into the sandbox's cgroups (so bwrap and all it starts are counted), then
 * execs bwrap with the seccomp program on descriptor 3 and bwrap's info on descriptor 4.
 *
 * <p>bwrap's own process is pid 1 of the sandbox, and the same user as the function: its command
 * line, environment and memory hold host paths, so {@code /proc/1} is covered with an empty,
 * read-only folder (the function can't unmount it: no capabilities, and umount is filtered).
 * {@code /proc/self/mountinfo} still names the host folders the sandbox's mounts come from; nothing
 * under them but what is mounted is reachable.
 *
 * <p>Its root is an empty tmpfs made read-only once everything is mounted: {@code /tmp} is the only
 * place a function can write. The sandbox sees {@code /cove/runtimes} (the worker programs),
 * {@code /cove/sockets} (its workers' sockets, one each), {@code /cove/keeper.py} and {@code /code},
 * a folder that stays empty until a worker is given a function: then the function's code is
 * hard-linked into it under its name and version (copied when the file systems differ). The
 * sandbox's first process is the keeper of {@link BubblewrapSandbox}, pid 1, which starts the workers.
 * Killing bwrap kills the whole sandbox: the keeper is started with {@code --die-with-parent}, and
 * when a pid namespace's init ends, everything in it ends.
 *
 * <p>The network namespace holds a loopback only until {@link Sandbox#openOutbound} attaches
 * {@link OutboundNetwork}; {@code /etc/resolv.conf} points at its DNS either way.
 *
 * <p>The REST API is the one thing of the host a sandbox reaches, in either network mode: the folder
 * of the server's API socket is bound read-only at {@code /cove/api}, and the keeper relays
 * {@code 127.0.0.1:}{@value #API_PORT} of the sandbox's loopback to that socket (keeper.py,
 * ApiRelay). The port is OpenWhisk's and Cove's own default, so {@code __OW_API_HOST} reads as it
 * would on the host; the keeper listens on it before any worker starts, so no function can take it.
 */
final class Bubblewrap implements SandboxFactory {
    private static final Logger LOG = LoggerFactory.getLogger(Bubblewrap.class);
    private static final String WRAPPER = "IFS='\n'; for f in $COVE_CGROUP_PROCS; do echo $$ > \"$f\" || exit 97; done; "
            + "s=$COVE_SECCOMP; i=$COVE_INFO; unset COVE_CGROUP_PROCS COVE_SECCOMP COVE_INFO; exec \"$@\" 3<\"$s\" 4>\"$i\"";
    private static final String RUNTIMES = "/cove/runtimes";
    private static final String SOCKETS = "/cove/sockets";
    private static final String KEEPER = "/cove/keeper.py";
    private static final String API_DIR = "/cove/api";
    private static final String TOOLBOX = "/cove/toolbox";
    /** Debian's busybox-static: one static program that is a shell and a hundred tools, by the name it is run as. */
    private static final Path BUSYBOX = Path.of("/usr/bin/busybox");
    /** Where the keeper relays the REST API inside each sandbox, on its loopback. */
    static final int API_PORT = 3233;
    /** How often the sandboxes' pids counters are read: at most this long may a fork bomb burn. */
    private static final long WATCH_MS = 10;

    private final Path bwrap;
    private final Path python;
    private final Path stagingDir;
    private final Path seccomp;
    private final Cgroups cgroups;
    private final ScheduledExecutorService cgroupRemover;
    private final long tmpBytes;
    private final Path apiSocket;
    private final Set<BubblewrapSandbox> live = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService watchdog = daemonScheduler("cove-sandbox-watchdog");

    private Bubblewrap(Path bwrap, Path python, Path stagingDir, Path seccomp, Cgroups cgroups,
            ScheduledExecutorService cgroupRemover, long tmpBytes, Path apiSocket) {
        this.bwrap = bwrap;
        this.python = python;
        this.stagingDir = stagingDir;
        this.seccomp = seccomp;
        this.cgroups = cgroups;
        this.cgroupRemover = cgroupRemover;
        this.tmpBytes = tmpBytes;
        this.apiSocket = apiSocket;
        if (cgroups.limits()) {
            watchdog.scheduleWithFixedDelay(this::killForkBombs, WATCH_MS, WATCH_MS, TimeUnit.MILLISECONDS);
        }
    }

    private static ScheduledExecutorService daemonScheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name(name).daemon().unstarted(r));
    }

    /** Ends every worker that has reached its limit of processes (see {@link Sandbox.Worker#exceededLimit}). */
    private void killForkBombs() {
        for (BubblewrapSandbox sandbox : live) {
            try {
                sandbox.killIfAtProcessLimit();
            } catch (RuntimeException e) { // a failure must not end the schedule
                LOG.warn("could not check a sandbox's processes", e);
            }
        }
    }

    static Bubblewrap create(Path stagingDir, String serverName, long tmpBytes, Path apiSocket) throws IOException {
        Path bwrap = findBwrap().orElseThrow(() -> new IOException("bwrap was not found (install bubblewrap)"));
        Path python = findPython().orElseThrow(() -> new IOException("python3 was not found (install python3)"));
        Files.createDirectories(stagingDir);
        clean(stagingDir);
        Files.createDirectories(apiSocket.getParent()); // bound into every sandbox, whether or not the server listens yet
        try (var keeper = Bubblewrap.class.getResourceAsStream("keeper.py")) {
            if (keeper == null) {
                throw new IOException("the sandbox keeper keeper.py is missing from the build");
            }
            Files.copy(keeper, stagingDir.resolve("keeper.py"), StandardCopyOption.REPLACE_EXISTING);
        }
        Path seccomp = stagingDir.resolve("seccomp.bpf");
        Files.write(seccomp, SeccompFilter.program());
        Files.writeString(stagingDir.resolve("resolv.conf"), "nameserver 10.0.2.3\n"); // slirp4netns's DNS
        Files.writeString(stagingDir.resolve("hosts"), "127.0.0.1 localhost\n::1 localhost\n");
        toolbox(stagingDir.resolve("toolbox"));
        ScheduledExecutorService cgroupRemover = daemonScheduler("cove-cgroup-remover");
        Cgroups cgroups = Cgroups.detect(serverName, cgroupRemover).orElseGet(() -> {
            LOG.warn("sandboxes run without memory, pids and CPU limits: no usable cgroups");
            return Cgroups.none(cgroupRemover);
        });
        return new Bubblewrap(bwrap, python, stagingDir, seccomp, cgroups, cgroupRemover, tmpBytes, apiSocket);
    }

    /**
     * A folder of links, one per tool of the static busybox, to it (/usr/bin is the host's, in every
     * sandbox): a shell and its tools that need nothing else, where a sandbox has no shell of its own.
     * Empty where busybox-static is not installed; then no terminal has a shell.
     */
    private static void toolbox(Path dir) throws IOException {
        Files.createDirectories(dir);
        if (!Files.isExecutable(BUSYBOX)) {
            LOG.info("{} is missing, so debug shells have no tools: install the package busybox-static", BUSYBOX);
            return;
        }
        Process list = ChildProcesses.builder(List.of(BUSYBOX.toString(), "--list"), Map.of()).redirectErrorStream(true)
                .start();
        String tools = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        for (String tool : tools.split("\n")) {
            if (tool.matches("[A-Za-z0-9_.\\[-]+")) {
                Files.createSymbolicLink(dir.resolve(tool), BUSYBOX);
            }
        }
    }

    static Optional<Path> findBwrap() {
        return Stream.of("/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap").map(Path::of)
                .filter(Files::isExecutable).findFirst();
    }

    /** The system's python3, which runs each sandbox's keeper. */
    static Optional<Path> findPython() {
        return Stream.of("/usr/bin/python3", "/usr/local/bin/python3", "/bin/python3").map(Path::of)
                .filter(Files::isExecutable).findFirst();
    }

    /** Tries a throwaway sandbox; answers why it failed, if it did. */
    static Optional<String> unavailable() {
        Optional<Path> bwrap = findBwrap();
        if (bwrap.isEmpty()) {
            return Optional.of("bwrap was not found (install the package bubblewrap)");
        }
        if (findPython().isEmpty()) {
            return Optional.of("python3, which runs each sandbox's keeper, was not found (install the package python3)");
        }
        try {
            Process p = ChildProcesses.builder(List.of(bwrap.get().toString(), "--unshare-all", "--unshare-user",
                    "--disable-userns", "--die-with-parent", "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin",
                    "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64", "/usr/bin/true"), Map.of())
                    .redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of("a test sandbox did not finish within 10 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? Optional.empty()
                    : Optional.of("bwrap can't create a sandbox here (are user namespaces enabled?): " + out);
        } catch (IOException e) {
            return Optional.of("bwrap could not be run: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted while trying bwrap");
        }
    }

    @Override
    public Sandbox start(Launch launch) throws IOException {
        Path own = Files.createDirectories(stagingDir.resolve(launch.name()));
        Path code = Files.createDirectories(own.resolve("code"));
        Path info = own.resolve("info.json");
        Cgroups.Group group = cgroups.group(launch.name());
        group.limit(ResourceLimits.KEEPER);
        ProcessBuilder builder = ChildProcesses.builder(command(launch, code, keeper()),
                environment(seccomp, info, group.procsFiles())).directory(own.toFile());
        try {
            BubblewrapSandbox started = new BubblewrapSandbox(launch.name(), builder.start(), own, code,
                    launch.socketDir(), cgroups, group, watchdog, live::remove);
            live.add(started);
            started.begin();
            return started;
        } catch (IOException e) {
            group.close();
            deleteTree(own);
            throw e;
        }
    }

    /**
     * What the wrapper is given: the seccomp program it opens for bwrap, the file bwrap's info goes to,
     * and the {@code cgroup.procs} files it joins.
     */
    static Map<String, String> environment(Path seccomp, Path info, List<Path> cgroupProcs) {
        return Map.of("PATH", "/usr/bin:/bin", "COVE_SECCOMP", seccomp.toString(), "COVE_INFO", info.toString(),
                "COVE_CGROUP_PROCS", String.join("\n", cgroupProcs.stream().map(Path::toString).toList()));
    }

    /** The sandbox's first process: the keeper, relaying the REST API from its loopback to the server's socket. */
    private List<String> keeper() {
        return List.of(python.toString(), "-I", "-S", KEEPER, Integer.toString(API_PORT),
                API_DIR + "/" + apiSocket.getFileName());
    }

    /** The wrapper, bwrap with every option of a sandbox, and {@code program}, the sandbox's first process. */
    List<String> command(Launch launch, Path code, List<String> program) {
        List<String> args = new ArrayList<>(List.of("/bin/sh", "-c", WRAPPER, "sh", bwrap.toString(),
                "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent", "--new-session",
                "--as-pid-1", "--cap-drop", "ALL", "--clearenv", "--uid", "65534", "--gid", "65534", "--hostname", "cove",
                "--ro-bind", "/usr", "/usr", "--symlink", "usr/bin", "/bin", "--symlink", "usr/sbin", "/sbin",
                "--symlink", "usr/lib", "/lib"));
        if (Files.exists(Path.of("/usr/lib64"))) {
            args.addAll(List.of("--symlink", "usr/lib64", "/lib64"));
        }
        for (String file : List.of("/etc/ld.so.cache", "/etc/localtime", "/etc/ssl", "/etc/ca-certificates")) {
            args.addAll(List.of("--ro-bind-try", file, file));
        }
        args.addAll(List.of("--ro-bind", stagingDir.resolve("resolv.conf").toString(), "/etc/resolv.conf",
                "--ro-bind", stagingDir.resolve("hosts").toString(), "/etc/hosts"));
        Stream.concat(Stream.of(python), launch.interpreters().stream()).map(p -> interpreterPrefix(p.toString()))
                .flatMap(Optional::stream).distinct()
                .forEach(prefix -> args.addAll(List.of("--ro-bind", prefix, prefix)));
        args.addAll(List.of("--proc", "/proc", "--tmpfs", "/proc/1", "--remount-ro", "/proc/1", "--dev", "/dev", "--size", Long.toString(tmpBytes), "--tmpfs", "/tmp",
                "--ro-bind", launch.programDir().toString(), RUNTIMES,
                "--ro-bind", stagingDir.resolve("keeper.py").toString(), KEEPER,
                "--ro-bind", stagingDir.resolve("toolbox").toString(), TOOLBOX,
                "--ro-bind", code.toString(), BubblewrapSandbox.CODE,
                "--ro-bind", apiSocket.getParent().toString(), API_DIR,
                "--bind", launch.socketDir().toString(), SOCKETS,
                "--remount-ro", "/", "--chdir", "/tmp", "--seccomp", "3", "--info-fd", "4", "--"));
        args.addAll(program);
        return args;
    }

    /** An interpreter outside /usr (say /opt/node/bin/node) needs its installation visible too. */
    private static Optional<String> interpreterPrefix(String executable) {
        Path real;
        try {
            real = Path.of(executable).toRealPath();
        } catch (IOException e) {
            return Optional.empty();
        }
        if (real.startsWith("/usr")) {
            return Optional.empty();
        }
        Path prefix = real.getParent().getParent();
        return Optional.of((prefix == null ? real.getParent() : prefix).toString());
    }

    @Override
    public String programPath(Path programDir, Path program) {
        return RUNTIMES + "/" + programDir.relativize(program);
    }

    @Override
    public String apiHost(String serverAddress) {
        return "http://127.0.0.1:" + API_PORT;
    }

    @Override
    public boolean shares() {
        return true;
    }

    @Override
    public Optional<String> toolbox() {
        return Files.exists(stagingDir.resolve("toolbox").resolve("sh")) ? Optional.of(TOOLBOX) : Optional.empty();
    }

    @Override
    public String socketPath(Path socket) {
        return SOCKETS + "/" + socket.getFileName();
    }

    @Override
    public String describe() {
        return "bubblewrap sandboxes, " + cgroups.describe() + ", seccomp, "
                + OutboundNetwork.unavailable().map(why -> "no outbound networking: " + why)
                        .orElse("outbound networking by slirp4netns");
    }

    /** Kills what still runs, waits for it to be gone, then removes the cgroups and folders. */
    @Override
    public void close() {
        watchdog.shutdownNow();
        for (BubblewrapSandbox sandbox : List.copyOf(live)) {
            sandbox.kill();
        }
        for (BubblewrapSandbox sandbox : List.copyOf(live)) {
            try {
                sandbox.ended().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.debug("a sandbox did not end within 5 s", e);
            }
        }
        cgroups.close();
        cgroupRemover.shutdownNow();
        clean(stagingDir);
    }

    private static void clean(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            children.filter(Files::isDirectory).forEach(Bubblewrap::deleteTree);
        } catch (IOException e) {
            LOG.debug("could not clean {}", dir, e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("could not remove {}", dir, e); // a sandbox closing at the same moment removed part of it
        }
    }

    /** Hard links a file or a folder's files into place; copies when a link can't be made. */
    static void linkTree(Path source, Path target) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> all = Files.walk(source)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Path to = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(to);
                    } else {
                        link(p, to);
                    }
                }
            }
        } else {
            link(source, target);
        }
    }

    private static void link(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
    }
}
