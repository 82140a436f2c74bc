package dev.cove.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.bus.nats.NatsSettings;
import dev.cove.cache.redis.RedisSettings;
import dev.cove.core.model.CacheSettings;
import dev.cove.core.model.Debugging;
import dev.cove.core.model.PackageSources;
import dev.cove.core.model.Scaling;
import dev.cove.node.NodeOptions;
import dev.cove.server.CoveServer;
import dev.cove.server.ServerOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code cove up}: runs a single-node server in the foreground until Ctrl-C. */
@Command(name = "up",
        description = "Start Cove in the foreground, print its API host and key, and write them to the config file;"
                + " Ctrl-C stops it.")
final class UpCommand implements Callable<Integer> {

    @ParentCommand
    CoveCommand root;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "" + ServerOptions.DEFAULT_PORT,
            description = "The HTTP port, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Where the functions, their code and the activation records are kept (default: ~/.cove, ~ being $HOME).")
    Optional<Path> data = Optional.empty();

    @Option(names = "--json",
            description = "Print the API host, key, runtimes and paths as one line of JSON (default: text).")
    boolean json;

    @Option(names = "--no-sandbox",
            description = "Run node and python functions as plain processes with this server's rights, where no"
                    + " sandbox can be made. Unsafe for code you don't trust (default: sandboxes, and without"
                    + " them those runtimes are off).")
    boolean noSandbox;

    @Option(names = "--cache-redis", paramLabel = "ADDR",
            description = "Keep the functions' caches in the Redis at ADDR (HOST:PORT); its password (and ACL user) come from the"
                    + " environment variables COVE_CACHE_REDIS_PASSWORD (and COVE_CACHE_REDIS_USER), never the"
                    + " command line (default: the embedded cache, in this server's memory).")
    Optional<String> cacheRedis = Optional.empty();

    @Option(names = "--cache-ttl", paramLabel = "TIME", converter = Durations.class, defaultValue = "1h",
            description = "How long a cache entry lives when its function names no TTL (default: ${DEFAULT-VALUE}).")
    Duration cacheTtl;

    @Option(names = "--cache-max-ttl", paramLabel = "TIME", converter = Durations.class, defaultValue = "24h",
            description = "The longest TTL a function may ask for; longer ones are refused (default: ${DEFAULT-VALUE}).")
    Duration cacheMaxTtl;

    @Option(names = "--cache-entries", paramLabel = "N", defaultValue = "10000",
            description = "The most entries one function's cache (or one application's shared one) holds;"
                    + " eviction keeps it there (default: ${DEFAULT-VALUE}).")
    long cacheEntries;

    @Option(names = "--cache-mb", paramLabel = "MB", defaultValue = "64",
            description = "The most megabytes of keys and values one function's cache (or one application's"
                    + " shared one) holds (default: ${DEFAULT-VALUE}).")
    long cacheMb;

    @Option(names = "--nats", paramLabel = "URL",
            description = "Carry topics' messages on the NATS server at URL (nats://HOST:PORT, started with -js):"
                    + " durable in its JetStream, each fired on one of the nodes naming it; its user and password"
                    + " come from COVE_NATS_USER and COVE_NATS_PASSWORD, never the command line (default: in this"
                    + " server, each message fired before its publisher hears back).")
    Optional<String> nats = Optional.empty();

    @Option(names = "--worker-memory", paramLabel = "SIZE",
            description = "The most memory the functions' instances may have together, counted by their memory"
                    + " limits: 8g, 512m, or megabytes; past it, the least recently used idle instances of other"
                    + " functions stop first, and a request that finds no room waits, then fails saying so (default: half"
                    + " this machine's memory).")
    Optional<String> workerMemory = Optional.empty();

    @Option(names = "--max-wait", paramLabel = "TIME", converter = Durations.class, defaultValue = "1m",
            description = "How long a request may wait for an instance of its function (all busy, or starting),"
                    + " or the function's time limit when that is longer; past it, it ends as a timeout that says"
                    + " how long it waited (default: ${DEFAULT-VALUE}).")
    Duration maxWait = Scaling.DEFAULT_MAX_WAIT;

    @Option(names = "--pause-after", paramLabel = "TIME|off", defaultValue = "10s",
            description = "How long an instance stays idle before its processes are frozen where they stand"
                    + " (the cgroup freezer): a paused instance takes no CPU, whatever timers its code left,"
                    + " and its next request thaws it in well under a millisecond; 'off' never pauses"
                    + " (default: ${DEFAULT-VALUE}).")
    String pauseAfter = "10s";

    @Option(names = "--debug-window", paramLabel = "TIME", converter = Durations.class, defaultValue = "5m",
            description = "How long the sandbox of an activation that failed (a developer error or a timeout) is"
                    + " kept as the failure left it, its instance paused and out of service, for a shell in it"
                    + " (GET …/activations/ID/debug) (default: ${DEFAULT-VALUE}).")
    Duration debugWindow = Debugging.DEFAULT.window();

    @Option(names = "--debug-keep", paramLabel = "N", defaultValue = "3",
            description = "The most failed activations' sandboxes kept at once, the oldest going first; 0 keeps"
                    + " none. Each keeps its memory in --worker-memory (default: ${DEFAULT-VALUE}).")
    int debugKeep = Debugging.DEFAULT.keep();

    @Option(names = "--debug-on", paramLabel = "application-error",
            description = "Keep the sandboxes of application errors too (a python raise, a result with an"
                    + " 'error').")
    Optional<String> debugOn = Optional.empty();

    @Option(names = "--java-threads", paramLabel = "N",
            description = "How many cores run inline Java functions (and this server's own blocking work) at"
                    + " once; a function waiting on I/O or a call holds none (default: half the cores, at least 1).")
    Optional<Integer> javaThreads = Optional.empty();

    @Option(names = "--pip-index-url", paramLabel = "URL",
            description = "The package index pip installs python functions' dependencies from (default: pip's own, PyPI).")
    Optional<String> pipIndexUrl = Optional.empty();

    @Option(names = "--pip-find-links", paramLabel = "DIR",
            description = "A folder (or URL) of wheels pip installs python functions' dependencies from; without"
                    + " --pip-index-url it is the only place pip looks (default: none).")
    Optional<String> pipFindLinks = Optional.empty();

    /** The JDK's setting for the virtual threads' carriers, read when the first virtual thread starts. */
    static final String CARRIERS_PROPERTY = "jdk.virtualThreadScheduler.parallelism";
    /** The JDK's own bound on the carriers. */
    private static final int MAX_JAVA_THREADS = 256;

    @Override
    public Integer call() {
        ServerOptions options = options();
        try {
            carriers(javaThreads, Runtime.getRuntime().availableProcessors())
                    .ifPresent(n -> System.setProperty(CARRIERS_PROPERTY, Integer.toString(n)));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        CoveServer server;
        try {
            server = CoveServer.start(options);
        } catch (CoveServer.StartException e) {
            throw new CliException(Output.oneLine(String.valueOf(e.getMessage())));
        }
        try {
            new ConfigFile(Optional.of(server.apiHost()), Optional.of(server.guestAuth())).write(root.env().configFile());
        } catch (CliException e) {
            server.close();
            throw e;
        }
        announce(server, options);
        awaitShutdown(server);
        return 0;
    }

    /**
     * How many carrier threads the virtual threads get, unless the JVM was already told with
     * {@code -Djdk.virtualThreadScheduler.parallelism}: what {@code --java-threads} says, else half the
     * cores. Why not the JDK's default of every core: each inline Java activation is handed from an
     * event loop (there is one per core) to a carrier and back, and an echo is over before the next
     * request is ready, so with a carrier per core every hand-off woke a parked one. With one carrier
     * on this 2-core machine the Java echo's server spent 29.6 µs of CPU a request against 35.4, and
     * served 0.537 of the bare server's requests/s against 0.500 (twenty 3 s rounds, interleaved).
     * The cost: CPU-bound Java functions share half the cores; node and python workers are processes
     * of their own and are not held to it.
     */
    static Optional<Integer> carriers(Optional<Integer> asked, int cores) {
        if (asked.isPresent() && (asked.get() < 1 || asked.get() > MAX_JAVA_THREADS)) {
            throw new IllegalArgumentException(
                    "--java-threads must be between 1 and " + MAX_JAVA_THREADS + ", was " + asked.get());
        }
        if (System.getProperty(CARRIERS_PROPERTY) != null) {
            return Optional.empty();
        }
        return Optional.of(asked.orElse(Math.max(1, cores / 2)));
    }

    ServerOptions options() {
        try {
            return ServerOptions.defaults().withHost(host).withPort(port).withDataDir(data.orElseGet(root.env()::defaultDataDir))
                    .withSandboxed(!noSandbox).withCacheBackend(cacheBackend()).withCache(cacheSettings())
                    .withPackageSources(packageSources()).withTopics(topics())
                    .withScaling(new Scaling(workerMemory.map(UpCommand::megabytes).orElseGet(ServerOptions::defaultWorkerMemoryMb),
                            maxWait, pauseAfter.equalsIgnoreCase("off") ? Duration.ZERO : Durations.parse(pauseAfter)))
                    .withDebugging(new Debugging(debugWindow, debugKeep, debugOn.map(UpCommand::applicationErrors).orElse(false)));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** pip's sources; a folder of wheels is made absolute, since pip runs in a folder of its own. */
    private PackageSources packageSources() {
        String links = pipFindLinks.map(where -> where.contains("://") ? where
                : Path.of(where).toAbsolutePath().normalize().toString()).orElse("");
        return new PackageSources(pipIndexUrl.orElse(""), links);
    }

    private CacheSettings cacheSettings() {
        CacheSettings defaults = CacheSettings.defaults();
        return new CacheSettings(cacheTtl, cacheMaxTtl, defaults.maxValueBytes(), defaults.maxKeyBytes(), cacheEntries,
                cacheMb * 1024 * 1024);
    }

    private static boolean applicationErrors(String what) {
        if (!what.equals("application-error")) {
            throw new IllegalArgumentException("--debug-on takes application-error, was '" + what + "'");
        }
        return true;
    }

    /** {@code 8g}, {@code 512m} or a number of megabytes, in megabytes. */
    static long megabytes(String size) {
        String text = size.trim().toLowerCase(Locale.ROOT);
        long unit = text.endsWith("g") ? 1024 : 1;
        String digits = text.endsWith("g") || text.endsWith("m") ? text.substring(0, text.length() - 1) : text;
        try {
            return Math.multiplyExact(Long.parseLong(digits), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("--worker-memory takes a size such as 8g, 512m or 2048 (megabytes), was '"
                    + size + "'");
        }
    }

    private NodeOptions.TopicsChoice topics() {
        return nats.<NodeOptions.TopicsChoice>map(url -> new NodeOptions.NatsTopics(NatsSettings.of(url)
                        .withCredentials(root.env().variable("COVE_NATS_USER").orElse(""),
                                root.env().variable("COVE_NATS_PASSWORD").orElse(""))))
                .orElseGet(NodeOptions.EmbeddedTopics::new);
    }

    private NodeOptions.CacheChoice cacheBackend() {
        return cacheRedis.<NodeOptions.CacheChoice>map(where -> new NodeOptions.RedisCache(redis(where)))
                .orElseGet(NodeOptions.EmbeddedCache::new);
    }

    /** HOST:PORT, and the credentials from the environment. */
    private RedisSettings redis(String where) {
        int colon = where.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("--cache-redis takes HOST:PORT, was '" + where + "'");
        }
        int redisPort;
        try {
            redisPort = Integer.parseInt(where.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--cache-redis takes HOST:PORT, was '" + where + "'");
        }
        return RedisSettings.of(where.substring(0, colon), redisPort)
                .withUser(root.env().variable("COVE_CACHE_REDIS_USER").orElse(""))
                .withPassword(root.env().variable("COVE_CACHE_REDIS_PASSWORD").orElse(""));
    }

    private void announce(CoveServer server, ServerOptions options) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectNode facts = Json.MAPPER.createObjectNode()
                    .put("apihost", server.apiHost())
                    .put("auth", server.guestAuth())
                    .put("data", options.dataDir().toString())
                    .put("config", root.env().configFile().toString())
                    .put("isolation", server.isolation())
                    .put("cache", server.cache())
                    .put("topics", server.topics());
            server.runtimes().forEach(facts.putArray("runtimes")::add);
            server.unavailableRuntimes().forEach(facts.putArray("unavailable")::add);
            out.println(Json.compact(facts));
        } else {
            out.println("Cove is running at " + server.apiHost());
            out.println("  auth      " + server.guestAuth());
            out.println("  runtimes  " + String.join(", ", server.runtimes()));
            out.println("  isolation " + server.isolation());
            out.println("  cache     " + server.cache());
            out.println("  topics    " + server.topics());
            out.println("  data      " + options.dataDir());
            out.println("  config    " + root.env().configFile() + " (the cove command reads it)");
            PrintWriter err = spec.commandLine().getErr();
            if (noSandbox) {
                err.println("warning: --no-sandbox: node and python functions run unconfined, with this server's"
                        + " user and files; deploy only code you trust");
            }
            server.unavailableRuntimes().forEach(reason -> err.println("warning: " + reason));
            err.flush();
            out.println("Ctrl-C stops it.");
        }
        out.flush();
    }

    /**
     * Blocks until Ctrl-C (the JVM's shutdown hook closes the server) or an interrupt (a test, or an
     * embedding program, stopping it).
     */
    private void awaitShutdown(CoveServer server) {
        CountDownLatch stopped = new CountDownLatch(1);
        PrintWriter err = spec.commandLine().getErr();
        Thread hook = new Thread(() -> {
            server.close();
            err.println("Cove stopped.");
            err.flush();
            stopped.countDown();
        }, "cove-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            if (removeHook(hook)) {
                server.close();
            }
            Thread.currentThread().interrupt();
        }
    }

    private static boolean removeHook(Thread hook) {
        try {
            return Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            return false;
        }
    }
}
