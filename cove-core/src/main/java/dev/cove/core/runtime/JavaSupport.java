package dev.cove.core.runtime;

import dev.cove.api.Handler;
import dev.cove.core.model.InvalidFunctionException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Turns a Java function's deployment into classes on disk: compiles a {@code .java} source, or checks
 * that a jar holds its entry class. Both tiers load what it leaves there.
 */
final class JavaSupport {
    private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
    private static final Pattern PUBLIC_TYPE = Pattern.compile(
            "public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|record|enum)\\s+(\\w+)");
    private static final Pattern ANY_CLASS = Pattern.compile("\\bclass\\s+(\\w+)");
    private static final int MAX_REPORTED_ERRORS = 10;

    /** Compiles the source into {@code classesDir} and answers the class to load. */
    synchronized String compile(String source, String main, Path classesDir) throws IOException, InvalidFunctionException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new InvalidFunctionException(
                    "this server runs on a Java runtime without a compiler; deploy a jar instead of a .java source");
        }
        String simpleName = className(source);
        String fqcn = packageOf(source).map(p -> p + "." + simpleName).orElse(simpleName);
        Files.createDirectories(classesDir);
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("-d", classesDir.toString(), "-classpath", apiClassPath(), "-proc:none",
                "-encoding", "UTF-8", "-g", "-nowarn");
        boolean ok = javac.getTask(null, null, diagnostics, options, null, List.of(new Source(simpleName, source)))
                .call();
        if (!ok) {
            throw new InvalidFunctionException("the Java source does not compile:\n" + describe(diagnostics));
        }
        String entry = "main".equals(main) ? fqcn : main;
        if (!Files.exists(classesDir.resolve(entry.replace('.', '/') + ".class"))) {
            throw new InvalidFunctionException("the source defines no class " + entry);
        }
        return entry;
    }

    /** Writes the jar, checks that it holds the entry class, and answers that class. */
    String stageJar(byte[] jar, String main, Path jarPath) throws IOException, InvalidFunctionException {
        Files.write(jarPath, jar);
        try (JarFile file = new JarFile(jarPath.toFile())) {
            String entry = main;
            if ("main".equals(main)) {
                Manifest manifest = file.getManifest();
                String fromManifest = manifest == null ? null : manifest.getMainAttributes().getValue("Main-Class");
                if (fromManifest == null) {
                    throw new InvalidFunctionException(
                            "name the jar's function class with --main (the jar's manifest has no Main-Class)");
                }
                entry = fromManifest.trim();
            }
            if (file.getEntry(entry.replace('.', '/') + ".class") == null) {
                throw new InvalidFunctionException("the jar has no class " + entry);
            }
            return entry;
        } catch (IOException e) {
            throw new InvalidFunctionException("the code is not a valid jar: " + e.getMessage());
        }
    }

    private static String className(String source) throws InvalidFunctionException {
        Matcher m = PUBLIC_TYPE.matcher(source);
        if (m.find()) {
            return m.group(1);
        }
        Matcher any = ANY_CLASS.matcher(source);
        if (any.find()) {
            return any.group(1);
        }
        throw new InvalidFunctionException("the Java source defines no class");
    }

    private static Optional<String> packageOf(String source) {
        Matcher m = PACKAGE.matcher(source);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private static String describe(DiagnosticCollector<JavaFileObject> diagnostics) {
        StringBuilder text = new StringBuilder();
        int shown = 0;
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() != Diagnostic.Kind.ERROR || shown++ == MAX_REPORTED_ERRORS) {
                continue;
            }
            String file = d.getSource() == null ? "" : Path.of(d.getSource().getName()).getFileName() + ":";
            text.append(file).append(d.getLineNumber()).append(": error: ")
                    .append(d.getMessage(Locale.ROOT)).append('\n');
        }
        return text.toString().strip();
    }

    /** Where {@code dev.cove.api} is, for compiling against it. */
    static String apiClassPath() {
        try {
            return Path.of(Handler.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the Cove API classes", e);
        }
    }

    /** A source held in memory, named as javac expects its public class's file to be. */
    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String simpleName, String text) {
            super(URI.create("string:///" + simpleName + ".java"), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
