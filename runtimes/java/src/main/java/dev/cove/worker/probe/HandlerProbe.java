package dev.cove.worker.probe;

import dev.cove.api.Context;
import dev.cove.api.Handler;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.StringConcatFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A function of the first shape, which a worker loads from its own jar and runs once before it says
 * hello, so that a function's first init and run find the worker's code loaded and linked. It also
 * does what most functions' code does the first time at a cost of milliseconds, in a JVM: a lambda, a
 * stream, and a string concatenation as javac compiles it (an invokedynamic call site, which the
 * worker's own code, compiled without them, never meets).
 */
public final class HandlerProbe implements Handler {
    static {
        System.out.println("loaded");
    }

    @Override
    public Map<String, Object> handle(Map<String, Object> params, Context context) throws Exception {
        System.out.println(context.activationId());
        System.err.print(context.functionName());
        Map<String, Object> result = new LinkedHashMap<>(params);
        result.put("env", context.env());
        result.put("list", List.of(1, 2L, 3.5, "four\n\u00e9", Boolean.TRUE));
        result.put("keys", params.keySet().stream().map(k -> k.toUpperCase(Locale.ROOT)).collect(Collectors.toList()));
        result.put("greeting", greeting(params.get("text"), params.size()));
        return result;
    }

    /** {@code "Hello, " + name + " of " + n + "!"} as javac compiles it for Java 9 and later. */
    private static String greeting(Object name, int n) throws Exception {
        try {
            return (String) StringConcatFactory.makeConcatWithConstants(MethodHandles.lookup(), "concat",
                    MethodType.methodType(String.class, Object.class, int.class), "Hello, \u0001 of \u0001!")
                    .dynamicInvoker().invokeExact(name, n);
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
