package dev.cove.core.runtime;

import dev.cove.core.model.Dependencies;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.model.Kind;
import dev.cove.core.model.Messages;
import dev.cove.core.model.PackageSources;
import dev.cove.core.spi.ChildProcesses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Functions' dependencies installed on the host: {@code deps/<key>/}, the key a hash of the runtime,
 * the list's text and (python) pip's sources, so every version of every function that lists the same
 * packages shares one installation.
 *
 * <p>One installation per key, however many deployments ask at once: the first runs the package
 * manager, the others wait for its outcome. It installs into a scratch folder renamed to its key once
 * the package manager succeeded, so a key's folder is always a whole installation, and a failed or
 * interrupted one leaves nothing behind. npm and pip run as child processes with a cleared
 * environment (a private {@code HOME}, which holds their caches, {@code PATH}, and the server's proxy
 * settings), a time limit and
 * the last {@link #OUTPUT_TAIL_BYTES} bytes of their output kept for the error and the key's
 * {@code install.log}. Nothing of a package runs on the host: npm runs with {@code --ignore-scripts},
 * pip installs wheels only ({@code --only-binary=:all:}), and {@link DependencyRules} refuses lists
 * that name files of the host.
 */
final class PackageInstalls {
    private static final Logger LOG = LoggerFactory.getLogger(PackageInstalls.class);

    static final Duration TIME_LIMIT = Duration.ofMinutes(5);
    /** How much of the package manager's output the error and install.log keep: its end, where it says why. */
    static final int OUTPUT_TAIL_BYTES = 4000;
    static final String LOG_FILE = "install.log";
    private static final Path PYTHON = Path.of("/usr/bin/python3");
    private static final String KEY_PREFIX = "deps-";
    private static final List<String> PROXY_VARIABLES =
            List.of("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY");

    private final Path root;
    private final PackageSources sources;
    private final Duration timeLimit;
    private final Map<String, CompletableFuture<Path>> installing = new ConcurrentHashMap<>();

    /**
     * @param root the folder of installations ({@code <data>/deps})
     * @param sources where pip looks
     * @param timeLimit how long one run of npm or pip may take
     */
    PackageInstalls(Path root, PackageSources sources, Duration timeLimit) {
        this.root = root;
        this.sources = sources;
        this.timeLimit = timeLimit;
    }

    /**
     * The folder a function's worker loads its packages from ({@code node_modules}, {@code
     * site-packages}), installing them first where they are not yet; blocks on the package manager.
     *
     * @throws InvalidFunctionException when they can't be installed, with the package manager's words
     */
    Path ensure(Kind kind, Dependencies dependencies) throws InvalidFunctionException {
        Optional<String> refused = DependencyRules.refusal(kind, dependencies);
        if (refused.isPresent()) {
            throw new InvalidFunctionException(refused.get());
        }
        String key = key(kind, dependencies);
        Path installed = root.resolve(key).resolve(folderName(kind));
        if (Files.isDirectory(installed)) {
            return installed;
        }
        CompletableFuture<Path> mine = new CompletableFuture<>();
        CompletableFuture<Path> running = installing.putIfAbsent(key, mine);
        if (running != null) {
            return await(running);
        }
        try {
            mine.complete(Files.isDirectory(installed) ? installed : install(key, kind, dependencies));
        } catch (InvalidFunctionException | RuntimeException e) {
            mine.completeExceptionally(e);
        } finally {
            installing.remove(key, mine);
        }
        return await(mine);
    }

    /**
     * The name of an installation, which is also the name a sandbox shows it under: {@code deps-}
     * and 32 hex digits of a SHA-256 of what it was installed from.
     */
    String key(Kind kind, Dependencies dependencies) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        sha.update((kind.family() + "\n").getBytes(StandardCharsets.UTF_8));
        if (kind == Kind.PYTHON) {
            sha.update((String.join(" ", sources.pipArguments()) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        sha.update(dependencies.text().getBytes(StandardCharsets.UTF_8));
        return KEY_PREFIX + HexFormat.of().formatHex(sha.digest(), 0, 16);
    }

    /** The folder of an installation that a worker loads from. */
    static String folderName(Kind kind) {
        return kind == Kind.NODEJS ? "node_modules" : "site-packages";
    }

    /** The package manager's command line, run in the scratch folder that holds the list. */
    List<String> command(Kind kind, Path installer, Path scratch) {
        List<String> command = new ArrayList<>();
        if (kind == Kind.NODEJS) {
            command.addAll(List.of(installer.toString(), "install", "--omit=dev", "--no-audit", "--no-fund",
                    "--ignore-scripts", "--no-bin-links", "--no-update-notifier", "--loglevel=error"));
            return command;
        }
        command.addAll(List.of(installer.toString(), "-I", "-m", "pip", "install",
                "--target", scratch.resolve(folderName(kind)).toString(),
                "--requirement", scratch.resolve(Dependencies.fileName(kind)).toString(),
                "--only-binary=:all:", "--disable-pip-version-check", "--no-input", "--progress-bar=off",
                "--no-warn-script-location", "--root-user-action=ignore"));
        command.addAll(sources.pipArguments());
        return command;
    }

    private static Path await(CompletableFuture<Path> install) throws InvalidFunctionException {
        try {
            return install.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof InvalidFunctionException refused) {
                throw new InvalidFunctionException(refused.getMessage());
            }
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private Path install(String key, Kind kind, Dependencies dependencies) throws InvalidFunctionException {
        Path installer = installer(kind);
        Path scratch;
        try {
            Files.createDirectories(root);
            scratch = Files.createTempDirectory(root, ".install-");
            Files.writeString(scratch.resolve(Dependencies.fileName(kind)), dependencies.text());
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the dependencies under " + root + ": " + e.getMessage(), e);
        }
        try {
            long started = System.nanoTime();
            String output = run(kind, command(kind, installer, scratch), scratch);
            Files.writeString(scratch.resolve(LOG_FILE), output);
            Files.createDirectories(scratch.resolve(folderName(kind))); // a list of no packages installs none
            place(scratch, root.resolve(key));
            LOG.info("installed the {} dependencies {} in {} ms", kind.family(), key,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            return root.resolve(key).resolve(folderName(kind));
        } catch (IOException e) {
            throw new IllegalStateException("cannot install the dependencies under " + root + ": " + e.getMessage(), e);
        } finally {
            CodeDirs.deleteTree(scratch);
        }
    }

    /** npm for node (where found), and Debian's python3 for python once it has pip. */
    private Path installer(Kind kind) throws InvalidFunctionException {
        if (kind == Kind.NODEJS) {
            return ProcessRuntime.findExecutable("npm").orElseThrow(
                    () -> new InvalidFunctionException(Messages.installerMissing(kind.family(), "npm", "npm")));
        }
        if (!hasPip()) {
            throw new InvalidFunctionException(Messages.installerMissing(kind.family(), "pip", "python3-pip"));
        }
        return PYTHON;
    }

    /** Whether Debian's python3 can import pip (it is a package of its own there: python3-pip). */
    private static boolean hasPip() {
        try {
            Process p = ChildProcesses.builder(List.of(PYTHON.toString(), "-I", "-c",
                    "import importlib.util, sys; sys.exit(importlib.util.find_spec('pip') is None)"), Map.of())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Renames the finished scratch folder to its key; another process's installation there wins. */
    private static void place(Path scratch, Path target) throws IOException {
        try {
            Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            // installed meanwhile by another server on the same data folder: the same packages
        } catch (IOException e) {
            if (!Files.isDirectory(target)) {
                throw e;
            }
        }
    }

    /** Runs the package manager in {@code dir}; answers the end of what it said, or fails with it. */
    private String run(Kind kind, List<String> command, Path dir) throws InvalidFunctionException, IOException {
        Path home = Files.createDirectories(root.resolve(".home"));
        String path = ProcessRuntime.findExecutable("node").map(node -> node.getParent() + ":").orElse("") + "/usr/bin:/bin";
        Process process = ChildProcesses.builder(command, environment(home, path))
                .directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close(); // nothing to answer: npm and pip ask nothing with these flags
        OutputTail tail = new OutputTail(OUTPUT_TAIL_BYTES);
        Thread reader = ChildProcesses.reader("cove-install-output", () -> tail.readAll(process.getInputStream()));
        String installer = kind == Kind.NODEJS ? "npm" : "pip";
        try {
            if (!process.waitFor(timeLimit.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                reader.join(TimeUnit.SECONDS.toMillis(5));
                throw new InvalidFunctionException(Messages.installTimedOut(installer, timeLimit, tail.text()));
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while installing dependencies", e);
        }
        if (process.exitValue() != 0) {
            throw new InvalidFunctionException(Messages.installFailed(installer, process.exitValue(), tail.text()));
        }
        return tail.text();
    }

    /** A private HOME, PATH, and the server's proxy settings: what npm and pip need to reach their registries. */
    private static Map<String, String> environment(Path home, String path) {
        Map<String, String> environment = new HashMap<>(Map.of("HOME", home.toString(), "PATH", path, "LANG", "C.UTF-8"));
        PROXY_VARIABLES.forEach(name -> {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        });
        return environment;
    }

    /** The last characters of a stream: what a package manager says last says why it failed. */
    static final class OutputTail {
        private final int maxBytes;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();

        OutputTail(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        void readAll(InputStream in) {
            byte[] chunk = new byte[8192];
            try (in) {
                for (int n; (n = in.read(chunk)) > 0; ) {
                    add(chunk, n);
                }
            } catch (IOException e) {
                // the process is gone; what was read is all there is
            }
        }

        synchronized void add(byte[] chunk, int length) {
            kept.write(chunk, 0, length);
            if (kept.size() > 2 * maxBytes) {
                byte[] all = kept.toByteArray();
                kept.reset();
                kept.write(all, all.length - maxBytes, maxBytes);
            }
        }

        /** The end of what was read, from its first whole line within the bound. */
        synchronized String text() {
            byte[] all = kept.toByteArray();
            if (all.length <= maxBytes) {
                return new String(all, StandardCharsets.UTF_8).strip();
            }
            String end = new String(all, all.length - maxBytes, maxBytes, StandardCharsets.UTF_8);
            int line = end.indexOf('\n');
            return "…" + (line >= 0 ? end.substring(line) : end).strip();
        }
    }
}
