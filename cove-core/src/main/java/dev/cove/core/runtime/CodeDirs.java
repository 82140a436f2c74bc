package dev.cove.core.runtime;

import dev.cove.core.model.Code;
import dev.cove.core.model.FunctionRevision;
import dev.cove.core.model.FunctionSpec;
import dev.cove.core.model.InvalidFunctionException;
import dev.cove.core.model.Kind;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * Functions' code on disk, one folder per version: {@code code/<namespace>/<name>/<version>/}, the
 * names as {@link FileNames} spells them.
 *
 * <p>A deployment is staged (written, unpacked, compiled) into a scratch folder before the store
 * accepts it, so a broken archive or a compile error refuses the deployment; the staged folder is then
 * renamed into place. After a crash between the two, {@link #ensure} rebuilds the folder from the
 * stored code.
 */
final class CodeDirs {
    static final String NODE_FILE = "function.js";
    static final String PYTHON_FILE = "function.py";
    static final String SEQUENCE_FILE = "components.json";
    static final String PACKAGE_DIR = "package";
    static final String JAR_FILE = "function.jar";
    static final String CLASSES_DIR = "classes";

    private static final long MAX_UNPACKED_BYTES = 512L * 1024 * 1024;
    private static final int MAX_ENTRIES = 50_000;

    private final Path root;
    private final JavaSupport java;

    CodeDirs(Path root, JavaSupport java) {
        this.root = root;
        this.java = java;
    }

    /** A deployment written to a scratch folder, with the entry point it resolved to. */
    record Staged(Path dir, String main) {}

    Staged stage(String namespace, FunctionSpec spec) throws InvalidFunctionException {
        try {
            Path base = Files.createDirectories(functionDir(namespace, spec.name()));
            Path dir = Files.createTempDirectory(base, ".staging-");
            try {
                String main = write(spec, dir);
                return new Staged(dir, main);
            } catch (InvalidFunctionException | RuntimeException e) {
                deleteTree(dir);
                throw e;
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the function's code under " + root + ": " + e.getMessage(), e);
        }
    }

    /** Moves a staged folder into the revision's place and answers the path the runtime loads. */
    Path install(Staged staged, FunctionRevision revision) {
        Path dir = dirOf(revision);
        try {
            deleteTree(dir);
            Files.move(staged.dir(), dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            deleteTree(staged.dir());
        } catch (IOException e) {
            throw new IllegalStateException("cannot install the code of " + revision.path() + ": " + e.getMessage(), e);
        }
        removeOlderVersions(revision);
        return entry(revision);
    }

    /** The path the runtime loads, rebuilding the folder from the stored code when it is missing. */
    Path ensure(FunctionRevision revision) throws InvalidFunctionException {
        if (!Files.exists(dirOf(revision))) {
            install(stage(revision.namespace(), revision.spec()), revision);
        }
        return entry(revision);
    }

    void removeAll(String namespace, String name) {
        deleteTree(functionDir(namespace, name));
    }

    Path dirOf(FunctionRevision revision) {
        return functionDir(revision.namespace(), revision.name()).resolve(Integer.toString(revision.version()));
    }

    /** A function's folder, which holds its versions': its namespace's and its own names as file names. */
    private Path functionDir(String namespace, String name) {
        return root.resolve(FileNames.of(namespace)).resolve(FileNames.of(name));
    }

    private Path entry(FunctionRevision revision) {
        return entry(dirOf(revision), revision.spec());
    }

    /** The path the runtime loads in a version's folder (or a staged one). */
    static Path entry(Path dir, FunctionSpec spec) {
        return switch (spec.kind()) {
            case NODEJS -> spec.code().binary() ? dir.resolve(PACKAGE_DIR) : dir.resolve(NODE_FILE);
            case PYTHON -> spec.code().binary() ? dir.resolve(PACKAGE_DIR) : dir.resolve(PYTHON_FILE);
            case JAVA -> spec.code().binary() ? dir.resolve(JAR_FILE) : dir.resolve(CLASSES_DIR);
            case SEQUENCE -> dir.resolve(SEQUENCE_FILE);
        };
    }

    /** Keeps this version and the one before it, which instances still draining may load from. */
    private void removeOlderVersions(FunctionRevision revision) {
        try (Stream<Path> versions = Files.list(functionDir(revision.namespace(), revision.name()))) {
            versions.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> Integer.parseInt(p.getFileName().toString()) < revision.version() - 1)
                    .forEach(CodeDirs::deleteTree);
        } catch (IOException e) {
            // old versions only cost disk space; the next deployment tries again
        }
    }

    private String write(FunctionSpec spec, Path dir) throws IOException, InvalidFunctionException {
        Code code = spec.code();
        Kind kind = spec.kind();
        if (kind == Kind.SEQUENCE) {
            Files.writeString(dir.resolve(SEQUENCE_FILE), code.text());
            return spec.main();
        }
        if (kind == Kind.JAVA) {
            return code.binary() ? java.stageJar(code.bytes(), spec.main(), dir.resolve(JAR_FILE))
                    : java.compile(code.text(), spec.main(), dir.resolve(CLASSES_DIR));
        }
        if (!code.binary()) {
            Files.writeString(dir.resolve(kind == Kind.NODEJS ? NODE_FILE : PYTHON_FILE), code.text());
            return spec.main();
        }
        Path pkg = dir.resolve(PACKAGE_DIR);
        unzip(code.bytes(), pkg);
        requireEntryFile(kind, pkg, spec.main());
        return spec.main();
    }

    /**
     * The module a node zip's entry point names, as OpenWhisk's node runtime reads it: {@code other} of
     * {@code other.niam} (or of {@code other.niam.xyz}); empty for a plain name, which names a function
     * of the package itself.
     */
    static Optional<String> nodeModuleOf(String main) {
        int dot = main.indexOf('.');
        return dot > 0 && dot < main.length() - 1 ? Optional.of(main.substring(0, dot)) : Optional.empty();
    }

    private static void requireEntryFile(Kind kind, Path pkg, String main) throws InvalidFunctionException {
        if (kind == Kind.NODEJS && nodeModuleOf(main).isEmpty() && !Files.exists(pkg.resolve("package.json"))
                && !Files.exists(pkg.resolve("index.js"))) {
            throw new InvalidFunctionException("the zip archive has neither package.json nor index.js at its root "
                    + "(or give the entry point as file.function)");
        }
        if (kind == Kind.PYTHON && !Files.exists(pkg.resolve("__main__.py"))) {
            throw new InvalidFunctionException("the zip archive has no __main__.py at its root");
        }
    }

    /** Unpacks a zip, refusing entries that would land outside the folder and archives that unpack too large. */
    static void unzip(byte[] zip, Path target) throws IOException, InvalidFunctionException {
        Files.createDirectories(target);
        long total = 0;
        int entries = 0;
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (++entries > MAX_ENTRIES) {
                    throw new InvalidFunctionException("the zip archive has more than " + MAX_ENTRIES + " entries");
                }
                Path out = target.resolve(e.getName()).normalize();
                if (!out.startsWith(target) || e.getName().startsWith("/")) {
                    throw new InvalidFunctionException("the zip archive has an entry outside its root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(out);
                    continue;
                }
                Files.createDirectories(out.getParent());
                total += copy(in, out, MAX_UNPACKED_BYTES - total);
            }
        } catch (ZipException e) {
            throw new InvalidFunctionException("the code is not a valid zip archive: " + e.getMessage());
        }
        if (entries == 0) {
            throw new InvalidFunctionException("the code is not a zip archive, or an empty one");
        }
    }

    private static long copy(InputStream in, Path out, long allowed) throws IOException, InvalidFunctionException {
        byte[] buffer = new byte[64 * 1024];
        long written = 0;
        try (OutputStream os = Files.newOutputStream(out)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                written += n;
                if (written > allowed) {
                    throw new InvalidFunctionException(
                            "the zip archive unpacks to more than " + MAX_UNPACKED_BYTES / (1024 * 1024) + " MB");
                }
                os.write(buffer, 0, n);
            }
        }
        return written;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // what is left only costs disk space
        }
    }
}
