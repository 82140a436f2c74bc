package dev.cove.core.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.model.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Refuses a node or python deployment whose entry file does not compile, as javac refuses Java's: the
 * file is compiled, never run, by a stem cell of its runtime in that cell's sandbox (a "check" frame).
 * One deployment's files of one runtime (an application's functions) are compiled by one cell, taken
 * at its first file; {@link #close} stops the cells taken, so that a source crafted against the
 * compiler can't reach the function a cell would host next. The entry file is the source itself, or a
 * zip's entry: node's {@code package.json} main (else {@code index.js}), python's {@code __main__.py}.
 */
final class SourceCheck implements AutoCloseable {
    /** Longer than the worker's own limit on an ES module's {@code node --check} (10 s). */
    private static final Duration CHECK_WAIT = Duration.ofSeconds(15);
    private static final Duration WORKER_WAIT = Duration.ofSeconds(60);

    private final Map<Kind, StemCells> pools;
    private final Map<Kind, ProcessWorker> taken = new EnumMap<>(Kind.class);

    SourceCheck(Map<Kind, StemCells> pools) {
        this.pools = pools;
    }

    /** A file to compile: its path on disk, its name as the user knows it, and whether node reads it as an ES module. */
    record Subject(Path file, Optional<String> entryOfArchive, boolean module) {}

    /**
     * Compiles the staged code's entry file, if it is node's or python's.
     *
     * @throws InvalidFunctionException saying the file, line and column when it does not compile
     */
    void check(FunctionSpec spec, Path stagedDir) throws InvalidFunctionException {
        Optional<Subject> subject = subject(spec, stagedDir);
        if (subject.isEmpty()) {
            return;
        }
        Optional<String> source = text(subject.get().file());
        if (source.isEmpty()) {
            return; // not UTF-8: the runtime says what it makes of it when the code loads
        }
        String shown = subject.get().entryOfArchive().map(e -> "the zip archive's " + e)
                .orElse("the " + language(spec.kind()) + " source");
        Optional<String> fault = compile(cell(spec.kind()), source.get(), subject.get(), shown);
        if (fault.isPresent()) {
            throw new InvalidFunctionException(shown + " does not compile: " + fault.get());
        }
    }

    @Override
    public void close() {
        taken.values().forEach(w -> w.kill("The worker checked a deployment's code."));
        taken.clear();
    }

    /** What the user should read of a compile error, e.g. {@code line 3, column 2: SyntaxError: …}; empty when it compiles. */
    static Optional<String> describe(JsonNode error) {
        if (error == null || !error.isObject()) {
            return Optional.empty();
        }
        String message = error.path("message").asText("SyntaxError");
        if (!error.path("line").canConvertToInt()) {
            return Optional.of(message);
        }
        return Optional.of("line " + error.path("line").asInt() + ", column " + error.path("column").asInt(1)
                + ": " + message);
    }

    /** This deployment's cell of the runtime: taken from its pool at the first file to check. */
    private ProcessWorker cell(Kind kind) {
        ProcessWorker worker = taken.get(kind);
        if (worker != null && worker.alive()) {
            return worker;
        }
        StemCells cells = pools.get(kind);
        try {
            worker = cells.take().get(WORKER_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("no " + kind.kindName() + " worker could be started to check the code: "
                    + cause(e).getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the code", e);
        }
        taken.put(kind, worker);
        return worker;
    }

    private static Optional<String> compile(ProcessWorker worker, String source, Subject subject, String shown)
            throws InvalidFunctionException {
        String file = subject.entryOfArchive().orElse(subject.file().getFileName().toString());
        try {
            return describe(worker.check(source, file, subject.module())
                    .get(CHECK_WAIT.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            worker.kill("The worker took too long to compile a deployment's code.");
            throw new InvalidFunctionException(shown + " did not compile within " + CHECK_WAIT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new InvalidFunctionException(shown + " could not be compiled: " + cause(e).getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the code", e);
        }
    }

    /** The entry file of staged node or python code; empty for other kinds, or a zip whose entry isn't there. */
    static Optional<Subject> subject(FunctionSpec spec, Path stagedDir) throws InvalidFunctionException {
        Path entry = CodeDirs.entry(stagedDir, spec);
        if (spec.kind() != Kind.NODEJS && spec.kind() != Kind.PYTHON) {
            return Optional.empty();
        }
        if (!spec.code().binary()) {
            return Optional.of(new Subject(entry, Optional.empty(), false));
        }
        Optional<String> inArchive = spec.kind() == Kind.PYTHON ? Optional.of("__main__.py") : nodeEntry(entry, spec.main());
        return inArchive.filter(e -> Files.isRegularFile(entry.resolve(e)))
                .map(e -> new Subject(entry.resolve(e), Optional.of(e), spec.kind() == Kind.NODEJS && isModule(entry, e)));
    }

    /**
     * The file {@code require} loads for a package folder: the module an entry point of the form
     * {@code file.function} names, else package.json's main; either as it is, with .js, or as a
     * folder's index.js; else index.js. Empty when the module named is not there.
     */
    private static Optional<String> nodeEntry(Path pkg, String entryPoint) throws InvalidFunctionException {
        Optional<String> named = CodeDirs.nodeModuleOf(entryPoint);
        Optional<String> main = named.isPresent() ? named
                : packageJson(pkg).map(p -> p.path("main").asText("")).filter(m -> !m.isBlank());
        if (main.isPresent()) {
            String m = Path.of(main.get()).normalize().toString();
            for (String candidate : new String[] {m, m + ".js", m + "/index.js"}) {
                Path file = pkg.resolve(candidate).normalize();
                if (file.startsWith(pkg) && Files.isRegularFile(file)) {
                    return Optional.of(pkg.relativize(file).toString());
                }
            }
        }
        return named.isPresent() ? Optional.empty() : Optional.of("index.js"); // a missing module fails at init
    }

    /** Whether node reads the file as an ES module: a .mjs, or a .js of a package whose type is module. */
    private static boolean isModule(Path pkg, String file) {
        if (file.endsWith(".mjs") || file.endsWith(".cjs")) {
            return file.endsWith(".mjs");
        }
        try {
            return packageJson(pkg).map(p -> p.path("type").asText("").equals("module")).orElse(false);
        } catch (InvalidFunctionException e) {
            return false;
        }
    }

    private static Optional<JsonNode> packageJson(Path pkg) throws InvalidFunctionException {
        Path file = pkg.resolve("package.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Frames.JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new InvalidFunctionException("the zip archive's package.json is not valid JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Optional<String> text(Path file) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file)))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new IllegalStateException("the staged code could not be read: " + e.getMessage(), e);
        }
    }

    private static String language(Kind kind) {
        return kind == Kind.NODEJS ? "JavaScript" : "Python";
    }

    private static Throwable cause(Throwable e) {
        Throwable c = e instanceof ExecutionException || e instanceof CompletionException ? e.getCause() : e;
        return c == null ? e : c;
    }
}
