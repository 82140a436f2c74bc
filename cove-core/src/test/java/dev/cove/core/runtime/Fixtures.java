package dev.cove.core.runtime;

import dev.cove.core.model.InvalidFunctionException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles function sources as the platform does, with dev.cove.api on the class path: in memory, or
 * into a classes folder by the platform's own compiler. Public for the inline tier's tests
 * ({@code InlineTierContract}, and cove-java-inline's).
 */
public final class Fixtures {
    private static final Pattern TYPE = Pattern.compile("(?:class|record|enum|interface)\\s+(\\w+)");

    private Fixtures() {}

    /** The class files of the sources, by internal name; each source is one compilation unit. */
    public static Map<String, byte[]> compile(String... sources) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        Map<String, ByteArrayOutputStream> out = new TreeMap<>();
        List<JavaFileObject> units = new ArrayList<>();
        for (String source : sources) {
            Matcher m = TYPE.matcher(source);
            if (!m.find()) {
                throw new IllegalArgumentException("no type in " + source);
            }
            units.add(new Source(m.group(1), source));
        }
        StandardJavaFileManager standard = javac.getStandardFileManager(diagnostics, Locale.ROOT, null);
        var files = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return out.computeIfAbsent(className.replace('.', '/'), k -> new ByteArrayOutputStream());
                    }
                };
            }
        };
        List<String> options = List.of("-classpath", JavaSupport.apiClassPath(), "-proc:none", "-g", "-nowarn");
        if (!javac.getTask(null, files, diagnostics, options, null, units).call()) {
            throw new IllegalArgumentException("the fixture does not compile: " + diagnostics.getDiagnostics());
        }
        Map<String, byte[]> classes = new TreeMap<>();
        out.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        return classes;
    }

    /**
     * Compiles a deployment's source into {@code classesDir} as the platform stages it, and answers
     * the class to load.
     */
    public static String compileInto(Path classesDir, String source) throws IOException, InvalidFunctionException {
        return new JavaSupport().compile(source, "main", classesDir);
    }

    /** Writes the classes into a jar. */
    public static Path jar(Path file, Map<String, byte[]> classes) throws IOException {
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(file))) {
            for (var e : classes.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey() + ".class"));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
        return file;
    }

    /** A function with a static main whose body is given. */
    public static String main(String body) {
        return IMPORTS + "public class Probe {\n"
                + "    public static Map<String, Object> main(Map<String, Object> params) throws Exception {\n"
                + body + "\n    }\n}\n";
    }

    /** A function implementing Handler whose body is given, with more members after it. */
    public static String handler(String body, String members) {
        return IMPORTS + "public class Probe implements Handler {\n" + members + "\n"
                + "    public Map<String, Object> handle(Map<String, Object> params, Context context) throws Exception {\n"
                + body + "\n    }\n}\n";
    }

    public static final String IMPORTS = "import dev.cove.api.*;\nimport java.util.*;\nimport java.util.function.*;\n"
            + "import java.util.stream.*;\nimport java.util.concurrent.atomic.*;\n";

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String name, String text) {
            super(URI.create("string:///" + name + ".java"), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
