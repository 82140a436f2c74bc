package dev.cove.worker;

import dev.cove.api.Handler;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads a function's class, in a class loader of its own, from a folder of classes or a jar, runs
 * its static initialisers and finds its shape, exactly as the in-process tier does and with the same
 * messages: a {@link Handler} with a constructor without parameters, else a
 * {@code public static Map<String, Object> main(Map<String, Object>)}. The function sees the JDK and
 * {@code dev.cove.api}, nothing of the worker.
 */
final class FunctionLoader {
    private static final MethodType MAIN = MethodType.methodType(Object.class, Map.class);

    private FunctionLoader() {}

    static Handler load(String entry, String className) throws LoadFailure {
        URLClassLoader loader = loaderFor(entry);
        try {
            return handlerOf(Class.forName(className, true, loader));
        } catch (ClassNotFoundException e) {
            throw closing(loader, "the class " + className + " could not be loaded: " + e.getMessage());
        } catch (ExceptionInInitializerError e) {
            throw closing(loader, "the class " + className + " failed to initialise: " + e.getCause());
        } catch (LinkageError e) { // no class of that name in the file, a class file of a later Java, …
            throw closing(loader, "the class " + className + " could not be loaded: " + e.getMessage());
        } catch (LoadFailure e) {
            throw closing(loader, e.getMessage());
        } catch (RuntimeException | Error e) { // a static initialiser that overflowed its stack, say
            throw closing(loader, "the class " + className + " failed to initialise: " + e);
        }
    }

    private static URLClassLoader loaderFor(String entry) throws LoadFailure {
        try {
            URL url = Path.of(entry).toUri().toURL(); // a folder's URL ends with '/', as the loader needs
            return new URLClassLoader("function", new URL[] {url}, ApiOnlyLoader.INSTANCE);
        } catch (IOException | InvalidPathException | NullPointerException e) {
            throw new LoadFailure("cannot read the function's classes: " + e.getMessage());
        }
    }

    private static LoadFailure closing(URLClassLoader loader, String message) {
        try {
            loader.close();
        } catch (IOException ignored) {
            // nothing more can be done for a loader that won't close
        }
        return new LoadFailure(message);
    }

    private static Handler handlerOf(Class<?> type) throws LoadFailure {
        if (Handler.class.isAssignableFrom(type)) {
            try {
                var constructor = type.getDeclaredConstructor();
                constructor.setAccessible(true);
                return (Handler) constructor.newInstance();
            } catch (InvocationTargetException e) {
                throw new LoadFailure("the constructor of " + type.getName() + " threw " + e.getCause());
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new LoadFailure(type.getName() + " needs a constructor without parameters");
            }
        }
        try {
            Method main = type.getMethod("main", Map.class);
            if (!Modifier.isStatic(main.getModifiers()) || !Map.class.isAssignableFrom(main.getReturnType())) {
                throw new NoSuchMethodException();
            }
            return new StaticMain(MethodHandles.publicLookup().unreflect(main).asType(MAIN));
        } catch (NoSuchMethodException | IllegalAccessException e) {
            throw new LoadFailure(type.getName() + " neither implements dev.cove.api.Handler nor has a "
                    + "public static Map<String, Object> main(Map<String, Object>)");
        }
    }

    /** A class of the second shape, as a handler. */
    private record StaticMain(MethodHandle main) implements Handler {
        @Override
        @SuppressWarnings("unchecked")
        public Map<String, Object> handle(Map<String, Object> params, dev.cove.api.Context context) throws Exception {
            try {
                return (Map<String, Object>) (Object) main.invokeExact((Map<?, ?>) params);
            } catch (Exception | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    /**
     * The parent of every function's loader: the JDK and the Cove API, nothing else of the worker, as in
     * the in-process tier.
     */
    private static final class ApiOnlyLoader extends ClassLoader {
        static final ApiOnlyLoader INSTANCE = new ApiOnlyLoader();
        private static final ClassLoader WORKER = Handler.class.getClassLoader();

        private ApiOnlyLoader() {
            super("cove-api-only", ClassLoader.getPlatformClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("dev.cove.api.")) {
                return WORKER.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
