package dev.cove.java.inline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.cove.api.Handler;
import dev.cove.core.runtime.Fixtures;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * Runs metered fixtures on virtual threads under a Budget, as the platform will. Timings are taken
 * from the activation's own view (the time between the stop and its code's exit) and as medians of
 * several runs, so that a busy machine slows them without failing them.
 */
class MeteringTest {
    private static final long MB = 1024 * 1024;
    private static final Duration GENEROUS = Duration.ofSeconds(20);
    private static final Map<String, byte[]> CLASSES = withSelfCovering(Fixtures.compile(
            handler("Spin", "running(p); long i = 0; while (true) { i++; }"),
            handler("CatchInside", "running(p); long i = 0; while (true) { try { i++; } catch (Throwable t) { i--; } }"),
            handler("CatchAround", "running(p); long i = 0; while (true) { try { while (true) { i++; } } catch (Throwable t) { i--; } }"),
            handler("FinallyContinue", "running(p); long i = 0; while (true) { try { while (true) { i++; } } finally { continue; } }"),
            handler("CatchingRecursion", "running(p); f(); return p; } void f() { try { f(); } catch (Throwable t) { f(); }"),
            handler("Deep", "return Map.of(\"n\", down(0)); } int down(int n) { return down(n + 1) + 1;"),
            handler("DeepCatching", "return Map.of(\"n\", down(0)); } int down(int n) { try { return down(n + 1) + 1; }"
                    + " catch (StackOverflowError e) { return n; }"),
            handler("HugeArray", "byte[] b = new byte[Integer.MAX_VALUE - 8]; return Map.of(\"n\", b.length);"),
            handler("Megabytes", "List<byte[]> keep = new ArrayList<>(); while (true) { keep.add(new byte[1 << 20]); }"),
            handler("Doubling", "StringBuilder b = new StringBuilder(\"x\"); while (true) { b.append(b); }"),
            handler("Grid", "int[][] g = new int[3][4]; long[][][] h = new long[2][3][]; return Map.of(\"n\", g[2].length + h[1].length);"),
            handler("Echo", "return Map.of(\"echo\", p.get(\"x\"));"),
            handler("Loop", "long n = ((Number) p.get(\"n\")).longValue(); long sum = 0;"
                    + " for (long i = 0; i < n; i++) { sum += i ^ (sum >>> 3); } return Map.of(\"sum\", sum);"),
            handler("Getenv", "return Map.of(\"h\", System.getenv(\"HOME\"));"),
            handler("ReachesGetenv", "return Map.of(\"h\", Env.home());"),
            "final class Env { static String home() { return System.getenv(\"HOME\"); } }",
            handler("PrintingDoubling", "StringBuilder b = new StringBuilder(\"x\"); while (true) { System.out.print(\"\"); b.append(b); }"),
            Fixtures.IMPORTS + """
                    public class Mixed implements Handler {
                        enum Op { ADD, MUL }
                        record Step(Op op, int by) {}
                        sealed interface Shape permits Square, Circle {}
                        record Square(int side) implements Shape {}
                        record Circle(int radius) implements Shape {}
                        private final String label = "mixed";
                        static int area(Shape s) { return switch (s) { case Square q -> q.side() * q.side(); case Circle c -> 3 * c.radius() * c.radius(); }; }
                        public Map<String, Object> handle(Map<String, Object> p, Context c) {
                            List<Step> steps = List.of(new Step(Op.ADD, 3), new Step(Op.MUL, 4), new Step(Op.ADD, -2));
                            int value = 1;
                            for (Step s : steps) { value = switch (s.op()) { case ADD -> value + s.by(); case MUL -> value * s.by(); }; }
                            Map<String, Integer> counts = new TreeMap<>();
                            for (String w : new String[] {"a", "b", "a"}) { counts.merge(w, 1, Integer::sum); }
                            String text = steps.stream().map(Step::toString).collect(Collectors.joining(";"));
                            int[][] grid = new int[3][3];
                            for (int i = 0; i < 3; i++) { for (int j = 0; j < 3; j++) { grid[i][j] = i * j; } }
                            long caught = 0;
                            try { Object o = List.of().get(1); } catch (IndexOutOfBoundsException e) { caught++; } finally { caught += 10; }
                            String kind = switch ((Object) value) { case Integer i when i > 10 -> "big " + i; case Integer i -> "small " + i; default -> "?"; };
                            return Map.of("value", value, "counts", counts, "text", text + label, "grid", grid[2][2] + area(new Circle(2)),
                                    "caught", caught, "kind", kind, "hash", new Step(Op.MUL, 2).equals(new Step(Op.MUL, 2)));
                        }
                    }
                    """));
    private static InlineLoader loader;

    @BeforeAll
    static void load() throws Exception {
        loader = InlineLoader.ofClasses("metering-test", CLASSES, "Spin");
    }

    @AfterAll
    static void close() throws Exception {
        loader.close();
    }

    /** Adds SelfCovering: a spinning loop inside a handler's range that covers the handler itself. */
    private static Map<String, byte[]> withSelfCovering(Map<String, byte[]> classes) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS | ClassWriter.COMPUTE_FRAMES);
        cw.visit(Opcodes.V21, Opcodes.ACC_PUBLIC, "SelfCovering", null, "java/lang/Object", new String[] {"dev/cove/api/Handler"});
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "handle", "(Ljava/util/Map;Ldev/cove/api/Context;)Ljava/util/Map;", null, null);
        mv.visitCode();
        Label handler = new Label();
        Label body = new Label();
        Label end = new Label();
        mv.visitTryCatchBlock(handler, end, handler, null);
        mv.visitJumpInsn(Opcodes.GOTO, body);
        mv.visitLabel(handler);
        mv.visitVarInsn(Opcodes.ASTORE, 3);
        mv.visitLabel(body);
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitLdcInsn("running");
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, "java/util/Map", "get", "(Ljava/lang/Object;)Ljava/lang/Object;", true);
        mv.visitTypeInsn(Opcodes.CHECKCAST, "java/util/concurrent/atomic/AtomicBoolean");
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/util/concurrent/atomic/AtomicBoolean", "set", "(Z)V", false);
        Label spin = new Label();
        mv.visitLabel(spin);
        mv.visitJumpInsn(Opcodes.GOTO, spin);
        mv.visitLabel(end);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        Map<String, byte[]> all = new TreeMap<>(classes);
        all.put("SelfCovering", cw.toByteArray());
        return all;
    }

    private static String handler(String name, String body) {
        return Fixtures.IMPORTS + "public class " + name + " implements Handler {\n"
                + "    public Map<String, Object> handle(Map<String, Object> p, Context c) {\n" + body + "\n    }\n"
                + "    static void running(Map<String, Object> p) { ((AtomicBoolean) p.get(\"running\")).set(true); }\n}\n";
    }

    @Test
    void theInstrumentedClassesVerify() {
        for (var e : CLASSES.entrySet()) {
            StringWriter problems = new StringWriter();
            CheckClassAdapter.verify(new ClassReader(Metering.instrument(e.getValue())), loader, false, new PrintWriter(problems));
            assertThat(problems.toString()).as(e.getKey()).isEmpty();
        }
    }

    @Test
    void anEndlessLoopStopsSoonAfterStopAndItsThreadEnds() throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (int run = 0; run < 5; run++) {
            Activation a = Activation.running("Spin", Duration.ofMinutes(1), 256 * MB);
            long stoppedAt = System.nanoTime();
            a.budget().stop(Budget.Reason.KILLED);
            assertThat(a.thrown()).isInstanceOf(Budget.Stopped.class).hasMessageContaining("killed");
            latencies.add(a.endedNanos - stoppedAt);
            assertThat(a.thread.join(GENEROUS)).isTrue();
        }
        report("stop() to the loop's exit", latencies);
        assertThat(median(latencies)).isLessThan(TimeUnit.MILLISECONDS.toNanos(10));
    }

    @Test
    void anEndlessLoopStopsSoonAfterItsDeadline() throws Exception {
        List<Long> latencies = new ArrayList<>();
        for (int run = 0; run < 5; run++) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
            Activation a = Activation.start("Spin", deadline, 256 * MB);
            assertThat(a.thrown()).isInstanceOf(Budget.Stopped.class)
                    .satisfies(t -> assertThat(((Budget.Stopped) t).reason()).isEqualTo(Budget.Reason.TIME));
            latencies.add(a.endedNanos - deadline);
        }
        report("the deadline to the loop's exit", latencies);
        assertThat(median(latencies)).isLessThan(TimeUnit.MILLISECONDS.toNanos(10));
    }

    @Test
    void aLoopThatUsesMoreThanItsCpuIsStoppedUnlessItMayNotRunAgain() throws Exception {
        long minute = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        Activation stopped = Activation.start("Spin", minute, 256 * MB, TimeUnit.MILLISECONDS.toNanos(100));
        assertThat(stopped.thrown()).isInstanceOf(Budget.Stopped.class)
                .satisfies(t -> assertThat(((Budget.Stopped) t).reason()).isEqualTo(Budget.Reason.RAN_LONG))
                .hasMessage("The function ran for more than 100 ms inside the platform.");
        assertThat(stopped.budget().ranLong()).isTrue();

        Activation kept = Activation.running("Spin", Duration.ofMinutes(1), 256 * MB, TimeUnit.MILLISECONDS.toNanos(100));
        kept.budget().mayNotRunAgain();
        await(() -> {
            try {
                return kept.budget().ranLong();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(kept.result).as("ran on past its CPU, having had effects").isNotDone();
        kept.budget().stop(Budget.Reason.KILLED);
        assertThat(kept.thrown()).isInstanceOf(Budget.Stopped.class).hasMessageContaining("killed");
    }

    @Test
    void catchingAndFinallyCannotKeepAStoppedLoopRunning() throws Exception {
        for (String fixture : List.of("CatchInside", "CatchAround", "FinallyContinue", "CatchingRecursion", "SelfCovering")) {
            Activation a = Activation.running(fixture, Duration.ofMinutes(1), 256 * MB);
            a.budget().stop(Budget.Reason.KILLED);
            // the recursion may overflow its stack before the stop lands (on a busy machine): that too is
            // thrown on through every catch, and ends it
            Class<?>[] endings = fixture.equals("CatchingRecursion")
                    ? new Class<?>[] {Budget.Stopped.class, StackOverflowError.class}
                    : new Class<?>[] {Budget.Stopped.class};
            assertThat(a.thrown()).as(fixture).isInstanceOfAny(endings);
            assertThat(a.thread.join(GENEROUS)).as(fixture).isTrue();
        }
    }

    @Test
    void deepRecursionEndsInAStackOverflowThatNoCatchSwallows() throws Exception {
        for (String fixture : List.of("Deep", "DeepCatching")) {
            Activation a = Activation.start(fixture, System.nanoTime() + GENEROUS.toNanos(), 256 * MB);
            assertThat(a.thrown()).as(fixture).isInstanceOf(StackOverflowError.class);
        }
    }

    @Test
    void aHugeArrayIsRefusedBeforeItIsAllocated() throws Exception {
        Activation a = Activation.start("HugeArray", System.nanoTime() + GENEROUS.toNanos(), 64 * MB);
        assertThat(a.thrown()).isInstanceOf(Budget.Stopped.class)
                .hasMessage("The function allocated more than its memory limit of 64 MB.");
        assertThat(a.budget().allocatedBytes()).isLessThan(64 * MB);
    }

    @Test
    void arraysKeptInAListStopAtTheMemoryLimit() throws Exception {
        assumeThat(Budget.memoryMetered()).as("needs --add-exports java.base/jdk.internal.access=ALL-UNNAMED").isTrue();
        Activation a = Activation.start("Megabytes", System.nanoTime() + GENEROUS.toNanos(), 64 * MB);
        assertThat(a.thrown()).isInstanceOf(Budget.Stopped.class).hasMessageContaining("memory limit of 64 MB");
        assertThat(a.budget().allocatedBytes()).isBetween(48 * MB, 72 * MB);
    }

    @Test
    void allocationInsideTheJdkStopsAtTheMemoryLimitThroughTheCarrierSample() throws Exception {
        assumeThat(Budget.memoryMetered()).as("needs --add-exports java.base/jdk.internal.access=ALL-UNNAMED").isTrue();
        Activation a = Activation.start("Doubling", System.nanoTime() + GENEROUS.toNanos(), 64 * MB);
        assertThat(a.thrown()).isInstanceOf(Budget.Stopped.class).hasMessageContaining("memory limit of 64 MB");
        // One append past the last sample can double the builder: the overshoot is about one call's allocation.
        assertThat(a.budget().allocatedBytes()).isBetween(64 * MB, 8 * 64 * MB);
    }

    @Test
    void printingBetweenAllocationsDoesNotHideThem() throws Exception {
        assumeThat(Budget.memoryMetered()).as("needs --add-exports java.base/jdk.internal.access=ALL-UNNAMED").isTrue();
        Activation a = Activation.start("PrintingDoubling", System.nanoTime() + GENEROUS.toNanos(), 64 * MB);
        assertThat(a.thrown()).isInstanceOf(Budget.Stopped.class).hasMessageContaining("memory limit of 64 MB");
    }

    @Test
    void multiDimensionalArraysAreChargedAndWork() throws Exception {
        Activation a = Activation.start("Grid", System.nanoTime() + GENEROUS.toNanos(), 64 * MB);
        assertThat(a.result.get(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isEqualTo(Map.of("n", 7));
    }

    @Test
    void spinningLoopsOnEveryCarrierLeaveRoomForOthers() throws Exception {
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
        List<Activation> spinners = new ArrayList<>();
        try {
            for (int i = 0; i < 2 * carriers + 1; i++) {
                spinners.add(Activation.running("Spin", Duration.ofMinutes(1), 256 * MB));
            }
            List<Long> waits = new ArrayList<>();
            for (int probe = 0; probe < 9; probe++) {
                long asked = System.nanoTime();
                CompletableFuture<Long> ran = new CompletableFuture<>();
                Thread.ofVirtual().start(() -> ran.complete(System.nanoTime()));
                waits.add(ran.get(GENEROUS.toSeconds(), TimeUnit.SECONDS) - asked);
            }
            report("a virtual thread's wait beside " + spinners.size() + " spinning loops on " + carriers + " carriers", waits);
            assertThat(median(waits)).isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
        } finally {
            for (Activation a : spinners) {
                a.budget().stop(Budget.Reason.KILLED);
                assertThat(a.thread.join(GENEROUS)).isTrue();
            }
        }
    }

    @Test
    void meteredCodeComputesWhatTheOriginalDoes() throws Exception {
        Activation a = Activation.start("Mixed", System.nanoTime() + GENEROUS.toNanos(), 256 * MB);
        Object metered = a.result.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        Handler plain = (Handler) new RawLoader(CLASSES).loadClass("Mixed").getDeclaredConstructor().newInstance();
        assertThat(metered).isEqualTo(plain.handle(Map.of(), null));
    }

    @Test
    void closingAJarLoaderReleasesTheJar(@TempDir Path dir) throws Exception {
        Path jar = Fixtures.jar(dir.resolve("fn.jar"), CLASSES);
        InlineLoader fromJar = InlineLoader.ofJar("jar-test", jar, "Echo");
        assertThat(fromJar.loadClass("Echo").getClassLoader()).isSameAs(fromJar);
        fromJar.close();
        assertThatThrownBy(() -> fromJar.loadClass("Spin")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void inlineCodeOutsideAnActivationThrows() throws Exception {
        assertThatThrownBy(Budget::tick).isInstanceOf(Budget.Stopped.class)
                .satisfies(t -> assertThat(((Budget.Stopped) t).reason()).isEqualTo(Budget.Reason.OUTSIDE));
        Class<?> echo = loader.loadClass("Echo");
        assertThatThrownBy(() -> echo.getDeclaredConstructor().newInstance()).isInstanceOf(InvocationTargetException.class)
                .cause().isInstanceOf(Budget.Stopped.class);
    }

    @Test
    void inlineCodeSeesTheApiButNotThePlatform() throws Exception {
        assertThatThrownBy(() -> loader.loadClass(JavaInstance.class.getName())).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> loader.loadClass("dev.cove.java.inline.InlineCheck")).isInstanceOf(ClassNotFoundException.class);
        assertThat(loader.loadClass(Handler.class.getName())).isSameAs(Handler.class);
        assertThat(loader.loadClass(Budget.Stopped.class.getName())).isSameAs(Budget.Stopped.class);
    }

    @Test
    void aClassThatFailsTheCheckStopsTheActivationLoadingIt() throws Exception {
        Activation a = Activation.start("Getenv", System.nanoTime() + GENEROUS.toNanos(), 64 * MB);
        assertThat(a.thrown()).isInstanceOf(Budget.Stopped.class)
                .hasMessageEndingWith("Getenv.handle calls java.lang.System.getenv");
        assertThat(a.budget().stopped()).hasValueSatisfying(s -> assertThat(s.reason()).isEqualTo(Budget.Reason.NOT_INLINE));

        Activation reaching = Activation.start("ReachesGetenv", System.nanoTime() + GENEROUS.toNanos(), 64 * MB);
        assertThat(reaching.thrown()).isInstanceOf(Budget.Stopped.class)
                .hasMessageEndingWith("Env.home calls java.lang.System.getenv");
    }

    @Test
    void whatMeteringCosts() throws Exception {
        ClassLoader raw = new RawLoader(CLASSES);
        long n = 20_000_000;
        double metered = nanosPerIteration(loader.loadClass("Loop"), n);
        double plain = nanosPerIteration(raw.loadClass("Loop"), n);
        System.out.printf("metering a tight loop: %.2f ns per iteration against %.2f uninstrumented (%.2fx)%n",
                metered, plain, metered / plain);
        double echo = nanosPerCall(loader.loadClass("Echo"));
        double plainEcho = nanosPerCall(raw.loadClass("Echo"));
        System.out.printf("metering an echo: %.1f ns per call against %.1f uninstrumented (+%.1f ns)%n",
                echo, plainEcho, echo - plainEcho);
        assertThat(metered / plain).isLessThan(20);
    }

    /** The best of five runs of the loop, on a virtual thread under a budget. */
    private static double nanosPerIteration(Class<?> loop, long n) throws Exception {
        return onActivation(() -> {
            Handler h = (Handler) loop.getDeclaredConstructor().newInstance();
            double best = Double.MAX_VALUE;
            for (int run = 0; run < 5; run++) {
                long start = System.nanoTime();
                h.handle(Map.of("n", n), null);
                best = Math.min(best, (System.nanoTime() - start) / (double) n);
            }
            return best;
        });
    }

    private static double nanosPerCall(Class<?> echo) throws Exception {
        return onActivation(() -> {
            Handler h = (Handler) echo.getDeclaredConstructor().newInstance();
            Map<String, Object> params = Map.of("x", 1);
            double best = Double.MAX_VALUE;
            int calls = 2_000_000;
            for (int run = 0; run < 5; run++) {
                long start = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    h.handle(params, null);
                }
                best = Math.min(best, (System.nanoTime() - start) / (double) calls);
            }
            return best;
        });
    }

    private static <T> T onActivation(Callable<T> work) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            Budget budget = Budget.open(System.nanoTime() + Duration.ofMinutes(5).toNanos(), Long.MAX_VALUE, Long.MAX_VALUE);
            try {
                result.complete(work.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            } finally {
                budget.close();
            }
        });
        return result.get(5, TimeUnit.MINUTES);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static void report(String what, List<Long> nanos) {
        System.out.printf("%s: median %.2f ms, %s%n", what, median(nanos) / 1e6,
                nanos.stream().map(v -> String.format("%.2f", v / 1e6)).toList());
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + GENEROUS.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("waited " + GENEROUS + " in vain");
            }
            Thread.sleep(1);
        }
    }

    /** One activation of a fixture: a virtual thread with a budget open, as the platform will run it. */
    private static final class Activation {
        final CompletableFuture<Budget> budget = new CompletableFuture<>();
        final CompletableFuture<Object> result = new CompletableFuture<>();
        final AtomicBoolean running = new AtomicBoolean();
        volatile long endedNanos;
        final Thread thread;

        /** @param runLimitNanos the CPU it may use: unlimited but where a test says, so that a busy machine fails none */
        private Activation(String fixture, long deadlineNanos, long memoryBytes, long runLimitNanos) {
            Map<String, Object> params = Map.of("running", running);
            thread = Thread.ofVirtual().name("activation-" + fixture)
                    .start(() -> run(fixture, params, deadlineNanos, memoryBytes, runLimitNanos));
        }

        static Activation start(String fixture, long deadlineNanos, long memoryBytes) {
            return start(fixture, deadlineNanos, memoryBytes, Long.MAX_VALUE);
        }

        static Activation start(String fixture, long deadlineNanos, long memoryBytes, long runLimitNanos) {
            return new Activation(fixture, deadlineNanos, memoryBytes, runLimitNanos);
        }

        /** Starts the fixture and waits until its loop runs. */
        static Activation running(String fixture, Duration timeout, long memoryBytes) throws Exception {
            return running(fixture, timeout, memoryBytes, Long.MAX_VALUE);
        }

        static Activation running(String fixture, Duration timeout, long memoryBytes, long runLimitNanos) throws Exception {
            Activation a = new Activation(fixture, System.nanoTime() + timeout.toNanos(), memoryBytes, runLimitNanos);
            await(() -> a.running.get() || a.result.isDone());
            assertThat(a.result).as("%s ended before its loop ran", fixture).isNotDone();
            return a;
        }

        /** Loads the class inside the activation, so that a class failing its check stops it. */
        private void run(String fixture, Map<String, Object> params, long deadlineNanos, long memoryBytes,
                long runLimitNanos) {
            Budget b = Budget.open(deadlineNanos, memoryBytes, runLimitNanos);
            budget.complete(b);
            try {
                Handler h = (Handler) loader.loadClass(fixture).getDeclaredConstructor().newInstance();
                Object r = h.handle(params, null);
                endedNanos = System.nanoTime();
                result.complete(r);
            } catch (InvocationTargetException e) {
                endedNanos = System.nanoTime();
                result.completeExceptionally(e.getCause());
            } catch (Throwable t) {
                endedNanos = System.nanoTime();
                result.completeExceptionally(t);
            } finally {
                b.close();
            }
        }

        Budget budget() throws Exception {
            return budget.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        }

        /** What the activation threw, waiting for it to end. */
        Throwable thrown() throws Exception {
            try {
                Object r = result.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
                throw new AssertionError("the activation returned " + r);
            } catch (ExecutionException e) {
                return e.getCause();
            }
        }
    }

    /** Defines the fixtures as they are, unmetered: the baseline for what metering costs. */
    private static final class RawLoader extends ClassLoader {
        private final Map<String, byte[]> classes;

        RawLoader(Map<String, byte[]> classes) {
            super("raw", MeteringTest.class.getClassLoader());
            this.classes = classes;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = classes.get(name.replace('.', '/'));
            if (bytes == null) {
                throw new ClassNotFoundException(name);
            }
            return defineClass(name, bytes, 0, bytes.length);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (classes.containsKey(name.replace('.', '/'))) {
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
            return super.loadClass(name, resolve);
        }
    }
}
