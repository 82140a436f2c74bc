package dev.cove.worker;

import dev.cove.api.Handler;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/** Small Java functions, compiled as the platform compiles a deployed source: into a folder of classes. */
final class Fixtures {
    private static final String IMPORTS = """
            import dev.cove.api.*;
            import java.io.*;
            import java.time.Duration;
            import java.util.*;
            import java.util.concurrent.CountDownLatch;
            """;

    /** One function that does what its parameter {@code do} says, for the tests of runs, logs, calls and the cache. */
    private static final String BEHAVIOURS = """
            public class Behaviours implements Handler {
                static final CountDownLatch RELEASE = new CountDownLatch(1);
                static final CountDownLatch LATER = new CountDownLatch(1);

                @SuppressWarnings("unchecked")
                public Map<String, Object> handle(Map<String, Object> params, Context ctx) throws Exception {
                    switch ((String) params.get("do")) {
                        case "null": return null;
                        case "notJson": {
                            Map<String, Object> a = new LinkedHashMap<>();
                            a.put("b", Arrays.asList(1, 2, new Object()));
                            return Map.of("a", a);
                        }
                        case "throw": throw new IllegalStateException("boom");
                        case "throwBare": throw new RuntimeException();
                        case "overflow": return overflow(params);
                        case "oom": return Map.of("n", new long[Integer.MAX_VALUE - 8].length);
                        case "big": return Map.of("s", "x".repeat(((Number) params.get("n")).intValue()));
                        case "log":
                            System.out.println("one");
                            System.err.println("two");
                            System.out.print("three, ");
                            System.out.println("continued \u00e9\u2603");
                            System.out.println();
                            System.out.print("no newline");
                            System.err.print("err partial");
                            return Map.of();
                        case "flood":
                            for (int i = 0; i < 100; i++) System.out.println("line " + i);
                            return Map.of();
                        case "wait":
                            RELEASE.await();
                            return Map.of("waited", true);
                        case "release":
                            RELEASE.countDown();
                            return Map.of("released", true);
                        case "invoke":
                            try {
                                return Map.of("result", ctx.invoke((String) params.get("name"), (Map<String, Object>) params.get("params")));
                            } catch (InvocationException e) {
                                return failure(e);
                            }
                        case "send":
                            try {
                                return Map.of("activationId", ctx.send((String) params.get("name"), Map.of("n", 1)));
                            } catch (InvocationException e) {
                                return failure(e);
                            }
                        case "invokeNotJson":
                            try {
                                return ctx.invoke("other", Map.of("x", new Object()));
                            } catch (InvocationException e) {
                                return failure(e);
                            }
                        case "cache": return cache(ctx.cache());
                        case "fd":
                            FileOutputStream real = new FileOutputStream(FileDescriptor.out);
                            real.write("garbage {\\"type\\":\\n".getBytes());
                            real.flush();
                            return Map.of("wrote", true);
                        case "interrupt":
                            Thread.currentThread().interrupt();
                            System.out.println("interrupted myself");
                            return Map.of("interrupted", true);
                        case "later":
                            Thread t = new Thread(() -> {
                                try { LATER.await(); } catch (InterruptedException e) { return; }
                                System.out.println("from a thread of its own");
                            });
                            t.start();
                            System.out.println("started a thread");
                            return Map.of();
                        case "wake":
                            LATER.countDown();
                            return Map.of();
                        default: throw new IllegalArgumentException("no such behaviour");
                    }
                }

                private static Map<String, Object> overflow(Map<String, Object> params) {
                    Map<String, Object> deeper = overflow(params);
                    return deeper;
                }

                private static Map<String, Object> failure(InvocationException e) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("message", e.getMessage());
                    r.put("activationId", e.activationId().orElse(""));
                    r.put("status", e.status());
                    r.put("result", e.result());
                    return r;
                }

                private static Map<String, Object> cache(Cache c) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    c.set("k", Map.of("v", 1), Duration.ofSeconds(60));
                    r.put("got", c.get("k").orElse("nothing"));
                    r.put("missing", c.get("none").isPresent());
                    c.app().set("raw", new byte[] {1, 2, 3});
                    r.put("raw", Arrays.toString((byte[]) c.app().get("raw").orElseThrow()));
                    r.put("deleted", c.delete("k"));
                    r.put("hits", c.increment("hits", 2));
                    r.put("written", c.setIfAbsent("once", "x", Duration.ofMillis(1500)));
                    try {
                        c.set("huge", "x");
                        r.put("error", "none");
                    } catch (CacheException e) {
                        r.put("error", e.getMessage());
                    }
                    try {
                        c.set("bad", List.of(new Object()));
                    } catch (CacheException e) {
                        r.put("notJson", e.getMessage());
                    }
                    return r;
                }
            }
            """;

    static final Map<String, String> SOURCES = Map.of(
            "Echo", """
            public class Echo implements Handler {
                static { System.out.println("Echo is loading"); }
                public Map<String, Object> handle(Map<String, Object> params, Context ctx) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("params", params);
                    r.put("activationId", ctx.activationId());
                    r.put("namespace", ctx.namespace());
                    r.put("functionName", ctx.functionName());
                    r.put("functionVersion", ctx.functionVersion());
                    r.put("env", ctx.env());
                    r.put("deadline", ctx.deadline().toEpochMilli());
                    return r;
                }
            }
            """,
            "StaticEcho", """
            public class StaticEcho {
                public static Map<String, Object> main(Map<String, Object> params) {
                    return Map.of("static", params);
                }
            }
            """,
            "BrokenInit", """
            public class BrokenInit implements Handler {
                static {
                    System.out.println("about to fail");
                    if (true) throw new IllegalStateException("boom in init");
                }
                public Map<String, Object> handle(Map<String, Object> params, Context ctx) { return params; }
            }
            """,
            "NoShape", """
            public class NoShape {
                public Map<String, Object> main(Map<String, Object> params) { return params; }
            }
            """,
            "NeedsArgs", """
            public class NeedsArgs implements Handler {
                public NeedsArgs(String given) {}
                public Map<String, Object> handle(Map<String, Object> params, Context ctx) { return params; }
            }
            """,
            "ThrowingConstructor", """
            public class ThrowingConstructor implements Handler {
                public ThrowingConstructor() { throw new IllegalArgumentException("not today"); }
                public Map<String, Object> handle(Map<String, Object> params, Context ctx) { return params; }
            }
            """,
            "Callee", """
            public class Callee implements Handler {
                public Map<String, Object> handle(Map<String, Object> params, Context ctx) {
                    System.out.println("callee says hi");
                    if ("app".equals(params.get("fail"))) return Map.of("error", "no product");
                    if ("throw".equals(params.get("fail"))) throw new IllegalStateException("callee threw");
                    if (params.containsKey("deeper")) return Map.of("inner", ctx.invoke("callee", Map.of()));
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("params", params);
                    r.put("activationId", ctx.activationId());
                    r.put("functionName", ctx.functionName());
                    r.put("functionVersion", ctx.functionVersion());
                    r.put("deadline", ctx.deadline().toEpochMilli());
                    return r;
                }
            }
            """,
            "CalleeBroken", """
            public class CalleeBroken implements Handler {
                static { if (true) throw new IllegalStateException("never loads"); }
                public Map<String, Object> handle(Map<String, Object> params, Context ctx) { return params; }
            }
            """,
            "Behaviours", BEHAVIOURS);

    private Fixtures() {}

    /** Compiles every fixture into {@code classes}. */
    static void compile(Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> sources = new ArrayList<>();
        SOURCES.forEach((name, body) -> sources.add(new Source(name, IMPORTS + body)));
        List<String> options = List.of("-d", classes.toString(), "-classpath", apiClassPath(), "-proc:none", "-nowarn");
        if (!javac.getTask(null, null, null, options, null, sources).call()) {
            throw new IOException("the fixtures do not compile");
        }
    }

    private static String apiClassPath() {
        try {
            return Path.of(Handler.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

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
