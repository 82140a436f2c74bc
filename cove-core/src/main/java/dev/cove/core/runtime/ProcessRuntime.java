package dev.cove.core.runtime;

import dev.cove.core.model.Kind;
import dev.cove.core.spi.ChildProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A runtime whose functions run in worker processes: which program to start, and with what.
 *
 * @param kind the functions it runs
 * @param executable the interpreter, e.g. {@code /usr/bin/node}
 * @param version what the interpreter says of its version, e.g. {@code v20.20.2}
 * @param programDir the folder the worker programs are unpacked into
 * @param workerProgram the worker script, in {@code programDir}
 * @param interpreterFlags flags before the script, e.g. {@code -I} for python
 */
record ProcessRuntime(Kind kind, Path executable, String version, Path programDir, Path workerProgram,
        List<String> interpreterFlags) {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessRuntime.class);

    /** The Java worker program, as the build packs it (runtimes/java). */
    static final String JAVA_WORKER = "java/cove-worker.jar";

    /**
     * How a Java worker's JVM starts, before its heap's size (from its function's memory limit:
     * {@link JavaStemCells}) and its class-data archive's flags ({@link WorkerArchive}); each flag
     * measured on stem cells (bench/README.md, "Java's process tier").
     */
    static final List<String> JVM_FLAGS = List.of("-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xms8m");

    /** node's flags, as OpenWhisk's node runtime starts it: functions may call {@code global.gc()}. */
    static final List<String> NODE_FLAGS = List.of("--expose-gc");

    /**
     * The system property naming the {@code node_modules} folder whose packages every node function
     * can require, as OpenWhisk's node runtime has them (its {@code openwhisk} client):
     * runtimes/node/package.json lists them, and ./cove and ./test install them.
     */
    static final String NODE_PACKAGES = "cove.node.packages";

    /**
     * The worker's command line, with the program and socket as the sandbox sees them; the socket and
     * token travel as arguments, not in the environment.
     */
    List<String> command(String program, String socket, String token) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(interpreterFlags);
        command.add(program);
        command.addAll(List.of("--socket", socket, "--token", token));
        return command;
    }

    String describe() {
        return kind.kindName() + " (" + executable.getFileName() + " " + version + ")";
    }

    /**
     * Finds the interpreter for a kind and unpacks its worker program into {@code runtimesDir}, or says
     * why it can't.
     */
    static Optional<ProcessRuntime> discover(Kind kind, Path runtimesDir, List<String> reasons) {
        if (kind == Kind.JAVA) {
            return discoverJava(runtimesDir, reasons);
        }
        String program = kind == Kind.NODEJS ? "node" : "python3";
        Optional<Path> executable = findExecutable(program);
        if (executable.isEmpty()) {
            reasons.add(kind.kindName() + " is unavailable: no " + program + " was found (install the "
                    + (kind == Kind.NODEJS ? "nodejs" : "python3") + " package)");
            return Optional.empty();
        }
        try {
            String version = versionOf(executable.get());
            String script = kind == Kind.NODEJS ? "node/worker.js" : "python/worker.py";
            Path worker = unpack(script, runtimesDir);
            if (kind == Kind.NODEJS) {
                placeNodePackages(worker.resolveSibling("node_modules"));
            }
            List<String> flags = kind == Kind.PYTHON ? List.of("-I") : NODE_FLAGS;
            return Optional.of(new ProcessRuntime(kind, executable.get(), version, runtimesDir, worker, flags));
        } catch (IOException e) {
            reasons.add(kind.kindName() + " is unavailable: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Java's process tier: a JVM worker ({@code runtimes/java}) run by the JDK the platform runs on, so
     * that a function compiled at deploy runs on the Java it was compiled for.
     */
    private static Optional<ProcessRuntime> discoverJava(Path runtimesDir, List<String> reasons) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        if (!Files.isExecutable(java)) {
            reasons.add(Kind.JAVA.kindName() + "'s process tier is unavailable: " + java + " is not executable");
            return Optional.empty();
        }
        try {
            Path worker = unpack(JAVA_WORKER, runtimesDir);
            List<String> flags = new ArrayList<>(givenJvmFlags().orElse(JVM_FLAGS));
            flags.add("-jar");
            return Optional.of(new ProcessRuntime(Kind.JAVA, java, Runtime.version().toString(), runtimesDir, worker,
                    flags));
        } catch (IOException e) {
            reasons.add(Kind.JAVA.kindName() + "'s process tier is unavailable: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * The Java worker's JVM flags given with {@code -Dcove.java.workerFlags} (separated by spaces), which
     * replace {@link #JVM_FLAGS} and the class-data archive: for measuring other flags through the
     * platform (bench/java_worker_flags.py).
     */
    static Optional<List<String>> givenJvmFlags() {
        String given = System.getProperty("cove.java.workerFlags", "").strip();
        return given.isEmpty() ? Optional.empty() : Optional.of(List.of(given.split("\\s+")));
    }

    /** This Java runtime with more JVM flags (its class-data archive's), placed before {@code -jar}. */
    ProcessRuntime withJvmFlags(List<String> more) {
        if (kind != Kind.JAVA) {
            throw new IllegalStateException("only a JVM takes JVM flags, not " + kind.kindName());
        }
        List<String> flags = new ArrayList<>(interpreterFlags.subList(0, interpreterFlags.size() - 1));
        flags.addAll(more);
        flags.add("-jar");
        return new ProcessRuntime(kind, executable, version, programDir, workerProgram, flags);
    }

    /**
     * Copies the packages {@link #NODE_PACKAGES} names to {@code target}, beside the worker, which
     * adds them to node's global module paths: so they are read-only in the sandbox, as the worker is,
     * and a function's own {@code node_modules} comes first. Without the property there are none.
     */
    static void placeNodePackages(Path target) throws IOException {
        CodeDirs.deleteTree(target);
        String given = System.getProperty(NODE_PACKAGES, "");
        if (given.isBlank()) {
            return;
        }
        Path source = Path.of(given);
        if (!Files.isDirectory(source)) {
            LOG.warn("node functions run without the packages of {}: it is no folder (-D{})", source, NODE_PACKAGES);
            return;
        }
        try (Stream<Path> all = Files.walk(source)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path to = target.resolve(source.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    continue; // node_modules/.bin: commands, which no function runs
                }
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
    }

    /**
     * Debian's own interpreters first: a version manager's shim earlier on PATH (pyenv) costs ~100 ms
     * per start and may pick another version than the one the machine's packages provide.
     */
    static Optional<Path> findExecutable(String program) {
        List<Path> candidates = new ArrayList<>(List.of(Path.of("/usr/bin", program), Path.of("/usr/local/bin", program)));
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isBlank() && !dir.contains("pyenv") && !dir.contains("shims")) {
                candidates.add(Path.of(dir, program));
            }
        }
        return candidates.stream().filter(Files::isExecutable).findFirst();
    }

    private static String versionOf(Path executable) throws IOException {
        Process p = ChildProcesses.builder(List.of(executable.toString(), "--version"), Map.of())
                .redirectErrorStream(true).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(executable + " --version did not answer within 10 s");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() != 0) {
                throw new IOException(executable + " --version failed: " + out);
            }
            return out.replaceFirst("^Python ", "");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + executable + " for its version", e);
        }
    }

    /**
     * Copies a worker program from the class path, replacing an older copy; an unchanged copy is left
     * alone, so that its modification time stays what a JVM's class-data archive of it checks.
     */
    static Path unpack(String script, Path runtimesDir) throws IOException {
        Path target = runtimesDir.resolve(script);
        byte[] program;
        try (InputStream in = ProcessRuntime.class.getResourceAsStream("workers/" + script)) {
            if (in == null) {
                throw new IOException("the worker program " + script + " is missing from the build");
            }
            program = in.readAllBytes();
        }
        if (Files.isRegularFile(target) && Files.size(target) == program.length
                && Arrays.equals(Files.readAllBytes(target), program)) {
            return target;
        }
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".worker", ".tmp");
        Files.write(tmp, program);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }
}
