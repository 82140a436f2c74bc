package dev.cove.java.inline;

import dev.cove.api.Handler;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The class loader of one inline instance of a function: defines the function's classes, each checked
 * again ({@link InlineCheck#checkClass}, in case the allow-list changed since the deploy) and metered
 * ({@link Metering}) as it is defined. Its parent shows the JDK, {@code dev.cove.api} and
 * {@link Budget} (which the metered code calls), nothing else of the platform. A class that fails
 * the check stops the activation loading it ({@link Budget.Reason#NOT_INLINE}).
 */
final class InlineLoader extends ClassLoader implements Closeable {
    static {
        registerAsParallelCapable();
    }

    private final ClassFiles files;
    private final InlineCheck check;

    private InlineLoader(String name, ClassFiles files, String entryClass) throws IOException {
        super(name, VisibleParent.INSTANCE);
        this.files = files;
        this.check = new InlineCheck(files.all(), entryClass, AllowList.standard());
    }

    /** A loader for the classes under {@code classesDir}. */
    static InlineLoader ofDirectory(String name, Path classesDir, String entryClass) throws IOException {
        return new InlineLoader(name, new Directory(classesDir), entryClass);
    }

    /** A loader for a jar's classes; {@link #close()} releases the jar. */
    static InlineLoader ofJar(String name, Path jar, String entryClass) throws IOException {
        return new InlineLoader(name, new Jar(new JarFile(jar.toFile())), entryClass);
    }

    /** A loader for classes held in memory, by internal name. */
    static InlineLoader ofClasses(String name, Map<String, byte[]> classes, String entryClass) throws IOException {
        Map<String, byte[]> copy = Map.copyOf(classes);
        return new InlineLoader(name, new ClassFiles() {
            @Override
            public Optional<byte[]> read(String internalName) {
                return Optional.ofNullable(copy.get(internalName));
            }

            @Override
            public Map<String, byte[]> all() {
                return copy;
            }
        }, entryClass);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String internalName = name.replace('.', '/');
        byte[] bytes = files.read(internalName).orElseThrow(() -> new ClassNotFoundException(name));
        List<String> reasons = check.checkClass(internalName);
        if (!reasons.isEmpty()) {
            throw refuse(reasons.getFirst());
        }
        byte[] metered;
        try {
            metered = Metering.instrument(bytes);
        } catch (RuntimeException e) {
            throw refuse(name + " cannot be metered (" + e.getMessage() + ")");
        }
        return defineClass(name, metered, 0, metered.length);
    }

    /** Stops the activation that reached the class, if any, and throws its stop. */
    private static Budget.Stopped refuse(String reason) {
        Optional<Budget> budget = Budget.current();
        budget.ifPresent(b -> b.stop(Budget.Reason.NOT_INLINE, reason));
        return budget.flatMap(Budget::stopped).orElseGet(() -> Budget.notInline(reason));
    }

    /** Releases the jar; classes already defined stay usable, new ones can't be loaded. */
    @Override
    public void close() throws IOException {
        files.close();
    }

    /** Where the function's class files come from. */
    private interface ClassFiles extends Closeable {
        Optional<byte[]> read(String internalName);

        Map<String, byte[]> all() throws IOException;

        @Override
        default void close() throws IOException {}
    }

    private record Directory(Path root) implements ClassFiles {
        @Override
        public Optional<byte[]> read(String internalName) {
            Path file = root.resolve(internalName + ".class");
            try {
                return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, byte[]> all() throws IOException {
            return InlineCheck.readDirectory(root);
        }
    }

    private record Jar(JarFile jar) implements ClassFiles {
        @Override
        public Optional<byte[]> read(String internalName) {
            JarEntry entry = jar.getJarEntry(internalName + ".class");
            if (entry == null) {
                return Optional.empty();
            }
            try (InputStream in = jar.getInputStream(entry)) {
                return Optional.of(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Map<String, byte[]> all() throws IOException {
            return InlineCheck.readJar(jar);
        }

        @Override
        public void close() throws IOException {
            jar.close();
        }
    }

    /**
     * The parent: the JDK (the platform class loader), {@code dev.cove.api} and {@link Budget} from the
     * platform's loader, so instrumented code links to the one Budget its activation is bound to.
     */
    private static final class VisibleParent extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private static final ClassLoader PLATFORM = Handler.class.getClassLoader();
        private static final String BUDGET = Budget.class.getName();
        static final VisibleParent INSTANCE = new VisibleParent();

        private VisibleParent() {
            super("cove-inline-visible", ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.cove.api.")) {
                return PLATFORM.loadClass(name);
            }
            if (name.equals(BUDGET) || name.startsWith(BUDGET + "$")) {
                return Budget.class.getClassLoader().loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
