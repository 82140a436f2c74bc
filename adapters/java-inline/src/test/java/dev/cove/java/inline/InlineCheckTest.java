package dev.cove.java.inline;

import static dev.cove.core.runtime.Fixtures.handler;
import static dev.cove.core.runtime.Fixtures.main;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import dev.cove.core.runtime.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

class InlineCheckTest {
    private static final String PASSES = "";

    @TempDir
    Path dir;

    /** A snippet, and the first reason it may not run inline, or PASSES. */
    static Stream<Arguments> snippets() {
        return Stream.of(
                arguments("echo, static main", main("return params;"), PASSES),
                arguments("echo, Handler", handler("return Map.of(\"echo\", params, \"id\", context.activationId());", ""), PASSES),
                arguments("collections, streams and lambdas", main("""
                        List<Integer> xs = new ArrayList<>(List.of(3, 1, 2));
                        Collections.sort(xs);
                        Map<String, Integer> counts = new TreeMap<>();
                        xs.forEach(x -> counts.merge("k" + x, x, Integer::sum));
                        Deque<String> queue = new ArrayDeque<>(); queue.add("a");
                        Optional<Integer> max = xs.stream().max(Comparator.naturalOrder());
                        String joined = xs.stream().map(x -> x * 2).filter(x -> x > 2).map(String::valueOf)
                                .collect(Collectors.joining(","));
                        int[] sorted = xs.stream().mapToInt(Integer::intValue).sorted().toArray();
                        return Map.of("s", joined, "m", counts, "max", max.orElse(0), "n", sorted.length);"""), PASSES),
                arguments("records, enums, switches, text blocks, concatenation", Fixtures.IMPORTS + """
                        public class Probe {
                            enum Color { RED, GREEN }
                            record Point(int x, int y) {}
                            sealed interface Shape permits Square, Circle {}
                            record Square(int side) implements Shape {}
                            record Circle(int radius) implements Shape {}
                            static final Point ORIGIN = new Point(0, 0);
                            static final String GREETING = \"""
                                hello
                                \""";
                            static int area(Shape s) {
                                return switch (s) { case Square q -> q.side() * q.side(); case Circle c -> 3 * c.radius() * c.radius(); };
                            }
                            public static Map<String, Object> main(Map<String, Object> params) {
                                Color c = Color.valueOf(String.valueOf(params.getOrDefault("color", "RED")));
                                int n = switch (c) { case RED -> 1; case GREEN -> 2; };
                                String word = switch (String.valueOf(params.get("w"))) { case "a" -> "A"; case "b" -> "B"; default -> "?"; };
                                Object o = params.get("x");
                                String kind = switch (o) { case String s -> "string " + s.length(); case Integer i when i > 3 -> "big"; default -> "other"; };
                                Point p = new Point(n, area(new Square(2)));
                                return Map.of("p", p.toString(), "eq", p.equals(ORIGIN), "w", word + kind + GREETING + p.hashCode());
                            }
                        }
                        """, PASSES),
                arguments("a sleep", main("Thread.sleep(1); Thread.sleep(java.time.Duration.ofMillis(1)); return params;"), PASSES),
                arguments("printing", main("System.out.println(\"hi \" + params); System.err.print('x'); return params;"), PASSES),
                arguments("a method reference to an allowed JDK method", main("""
                        Function<String, Integer> length = String::length;
                        Supplier<List<String>> make = ArrayList::new;
                        return Map.of("n", length.apply("abc"), "l", make.get());"""), PASSES),
                arguments("a capacity, which is charged instead", main("""
                        StringBuilder b = new StringBuilder(64); List<String> l = new ArrayList<>(10);
                        int[] copy = Arrays.copyOf(new int[] {1, 2}, 8);
                        return Map.of("b", b.append(l).append(copy.length).toString());"""), PASSES),
                arguments("a method reference to a denied JDK method",
                        main("Function<String, String> env = System::getenv; return Map.of(\"h\", env.apply(\"HOME\"));"),
                        "Probe.main calls java.lang.System.getenv"),
                arguments("a lambda's body is reported as its method",
                        main("Runnable r = () -> System.exit(3); r.run(); return params;"),
                        "Probe.main calls java.lang.System.exit"),
                arguments("reading a file", main("return params;").replace("\n}\n", """
                            static String read(java.nio.file.Path file) throws java.io.IOException {
                                return java.nio.file.Files.readString(file);
                            }
                        }
                        """), "Probe.read calls java.nio.file.Files.readString"),
                arguments("reading stdin", main("return Map.of(\"n\", System.in.read());"),
                        "Probe.main reads java.lang.System.in"),
                arguments("starting a process", main("new ProcessBuilder(\"ls\").start(); return params;"),
                        "Probe.main creates java.lang.ProcessBuilder"),
                arguments("System.exit", main("System.exit(1); return params;"), "Probe.main calls java.lang.System.exit"),
                arguments("Runtime.halt", main("Runtime.getRuntime().halt(1); return params;"),
                        "Probe.main calls java.lang.Runtime.getRuntime"),
                arguments("the environment", main("return Map.of(\"home\", System.getenv(\"HOME\"));"),
                        "Probe.main calls java.lang.System.getenv"),
                arguments("a system property", main("return Map.of(\"v\", Integer.getInteger(\"x\", 1));"),
                        "Probe.main calls java.lang.Integer.getInteger"),
                arguments("a platform class by name", main("Class.forName(\"dev.cove.core.Platform\"); return params;"),
                        "Probe.main calls java.lang.Class.forName"),
                arguments("the class loader", handler("getClass().getClassLoader(); return params;", ""),
                        "Probe.handle calls java.lang.Class.getClassLoader"),
                arguments("module reflection", main("Probe.class.getModule().addOpens(\"x\", null); return params;"),
                        "Probe.main calls java.lang.Class.getModule"),
                arguments("a thread", main("new Thread(() -> {}).start(); return params;"), "Probe.main calls new java.lang.Thread(Runnable)"),
                arguments("extending Thread", Fixtures.IMPORTS + "public class Probe extends Thread {}\n", "Probe keeps mutable state across activations (superclass java.lang.Thread)"),
                arguments("a synchronized block", main("synchronized (params) { return params; }"), "Probe.main uses synchronized"),
                arguments("a synchronized method", main("bump(); return params;").replace("\n}\n", "\n    static synchronized void bump() {}\n}\n"),
                        "Probe.bump uses synchronized"),
                arguments("a mutable static field", main("count++; return params;").replace("public class Probe {", "public class Probe { static int count;"),
                        "Probe has mutable static state (field count)"),
                arguments("a static final ArrayList", main("return params;").replace("public class Probe {",
                        "public class Probe { static final List<String> SEEN = new ArrayList<>();"), "Probe has mutable static state (field SEEN)"),
                arguments("a static final record of a list", main("return params;").replace("public class Probe {",
                        "public class Probe { record Box(List<String> items) {} static final Box BOX = new Box(List.of());"),
                        "Probe has mutable static state (field BOX)"),
                arguments("an enum with a mutable field", main("return Map.of(\"n\", Level.LOW.n++);").replace("public class Probe {",
                        "public class Probe { enum Level { LOW, HIGH; int n; }"), "Probe$Level has mutable static state (field LOW)"),
                arguments("a handler's instance field", handler("seen.add(\"x\"); return params;", "private final Set<String> seen = new HashSet<>();"),
                        "Probe keeps mutable state across activations (field seen)"),
                arguments("a handler's final immutable fields", handler("return Map.of(\"g\", greeting + limit);",
                        "private final String greeting = \"hi\"; private final int limit = 3;"), PASSES),
                arguments("Object.wait", main("Object lock = new Object(); lock.wait(); return params;"), "Probe.main calls java.lang.Object.wait"),
                arguments("wait inherited by the function's class", handler("wait(10); return params;", ""),
                        "Probe.handle calls java.lang.Object.wait"),
                arguments("a regex through String.split", main("return Map.of(\"p\", List.of(\"a,b\".split(\",\")));"),
                        "Probe.main calls java.lang.String.split"),
                arguments("a regex through Pattern", main("return Map.of(\"m\", java.util.regex.Pattern.matches(\"a*\", \"aa\"));"),
                        "Probe.main calls java.util.regex.Pattern.matches"),
                arguments("String.repeat", main("return Map.of(\"r\", \"ab\".repeat(3));"), "Probe.main calls java.lang.String.repeat"),
                arguments("a parallel stream", main("return Map.of(\"n\", List.of(1, 2).parallelStream().count());"),
                        "Probe.main calls java.util.List.parallelStream"),
                arguments("an overload denied by its parameters", main("return Map.of(\"m\", new HashMap<String, Object>(16, 0.5f));"),
                        "Probe.main calls new java.util.HashMap(int, float)"),
                arguments("an exact BigDecimal sum", main("return Map.of(\"s\", new java.math.BigDecimal(\"1E999999999\").add(java.math.BigDecimal.ONE));"),
                        "Probe.main calls java.math.BigDecimal.add(BigDecimal)"),
                arguments("method handles", main("java.lang.invoke.MethodHandles.lookup(); return params;"),
                        "Probe.main calls java.lang.invoke.MethodHandles.lookup"),
                arguments("a finalizer", main("return params;").replace("\n}\n", "\n    protected void finalize() {}\n}\n"), "Probe defines finalize"),
                arguments("a native method", main("return params;").replace("\n}\n", "\n    native void run();\n}\n"), "Probe.run is native"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("snippets")
    void firstReason(String description, String source, String expected) throws Exception {
        Map<String, byte[]> classes = Fixtures.compile(source);
        List<String> reasons = InlineCheck.check(classes, "Probe");
        if (expected.equals(PASSES)) {
            assertThat(reasons).as(description).isEmpty();
            meteredClassesVerify(classes);
        } else {
            assertThat(reasons).as(description).isNotEmpty();
            assertThat(reasons.getFirst()).as(description).isEqualTo(expected);
        }
    }

    /** What passes is metered, and the metered classes pass ASM's verifier and the JVM's. */
    private static void meteredClassesVerify(Map<String, byte[]> classes) throws Exception {
        try (InlineLoader loader = InlineLoader.ofClasses("check-test", classes, "Probe")) {
            for (var e : classes.entrySet()) {
                StringWriter problems = new StringWriter();
                CheckClassAdapter.verify(new ClassReader(Metering.instrument(e.getValue())), loader, false, new PrintWriter(problems));
                assertThat(problems.toString()).as(e.getKey()).isEmpty();
                Class.forName(e.getKey().replace('/', '.'), false, loader); // defined, so verified by the JVM when linked
            }
        }
    }

    @Test
    void aJarOfSeveralClassesPassesAndAHelperIsNamed() throws Exception {
        Map<String, byte[]> classes = Fixtures.compile(
                "package fn;\nimport java.util.*;\npublic class Main { public static Map<String, Object> main(Map<String, Object> p) {"
                        + " return Map.of(\"t\", new Tally(List.of(1, 2)).total()); } }",
                "package fn;\nimport java.util.*;\nfinal class Tally { private final List<Integer> xs;"
                        + " Tally(List<Integer> xs) { this.xs = xs; } int total() { return xs.stream().mapToInt(i -> i).sum(); } }");
        assertThat(InlineCheck.checkJar(Fixtures.jar(dir.resolve("ok.jar"), classes), "fn.Main")).isEmpty();

        Map<String, byte[]> bad = new TreeMap<>(classes);
        bad.putAll(Fixtures.compile("package fn;\nfinal class Loader { static String load() throws Exception {"
                + " return new String(java.nio.file.Files.readAllBytes(null)); } }"));
        assertThat(InlineCheck.checkJar(Fixtures.jar(dir.resolve("bad.jar"), bad), "fn.Main"))
                .containsExactly("Loader.load calls java.nio.file.Files.readAllBytes");
    }

    @Test
    void aClassesFolderIsReadAsTheCompilerLeftIt() throws Exception {
        Path classes = dir.resolve("classes");
        String entry = Fixtures.compileInto(classes, main("return params;"));
        assertThat(InlineCheck.checkDirectory(classes, entry)).isEmpty();
        assertThat(InlineCheck.checkDirectory(classes, "Missing")).containsExactly("the function has no class Missing");
    }

    @Test
    void aMethodHandleConstantIsNamedAsSuch() {
        byte[] probe = probeWithMain(mv -> {
            mv.visitLdcInsn(new Handle(Opcodes.H_INVOKESTATIC, "java/lang/Math", "abs", "(I)I", false));
            mv.visitInsn(Opcodes.POP);
        });
        assertThat(InlineCheck.check(Map.of("Probe", probe), "Probe")).containsExactly("Probe.main uses java.lang.invoke.MethodHandle");
    }

    @Test
    void theAllowListParsesItsFormat() {
        AllowList list = AllowList.parse(List.of("# a comment", "* -wait", "a.B * -c -d(I)V e(J)V=8", "a.b.* f", "a.C"));
        assertThat(list.member("a/B", "x", "()V")).isEqualTo(AllowList.Access.ALLOWED);
        assertThat(list.member("a/B", "c", "()V")).isEqualTo(AllowList.Access.DENIED);
        assertThat(list.member("a/B", "d", "(I)V")).isEqualTo(AllowList.Access.DENIED_OVERLOAD);
        assertThat(list.member("a/B", "d", "(J)V")).isEqualTo(AllowList.Access.ALLOWED);
        assertThat(list.member("a/B", "wait", "()V")).isEqualTo(AllowList.Access.DENIED);
        assertThat(list.member("a/b/G", "f", "()V")).isEqualTo(AllowList.Access.ALLOWED);
        assertThat(list.member("a/C", "f", "()V")).isEqualTo(AllowList.Access.DENIED);
        assertThat(list.allowsType("a/C")).isTrue();
        assertThat(list.allowsType("[[La/C;")).isTrue();
        assertThat(list.allowsType("a/D")).isFalse();
        assertThat(list.charge("a/B", "e", "(J)V")).hasValue(8);
    }

    /** A class Probe with {@code static Map main(Map)} whose code is written by hand, then returns its argument. */
    private static byte[] probeWithMain(Consumer<MethodVisitor> body) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC, "Probe", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "main", "(Ljava/util/Map;)Ljava/util/Map;", null, null);
        mv.visitCode();
        body.accept(mv);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    @Test
    void theStandardListLoads() {
        assertThat(AllowList.standard().member("java/lang/String", "length", "()I")).isEqualTo(AllowList.Access.ALLOWED);
        assertThat(AllowList.standard().charge("java/util/ArrayList", "<init>", "(I)V")).hasValue(4);
    }
}
