package dev.cove.server;

import dev.cove.core.model.CacheSettings;
import dev.cove.core.model.Debugging;
import dev.cove.core.model.PackageSources;
import dev.cove.core.model.Scaling;
import dev.cove.node.NodeOptions;
import com.sun.management.OperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * How to run a single-node Cove server.
 *
 * @param host the address the HTTP API listens on
 * @param port the HTTP port, 0 for any free one
 * @param dataDir where the store, the functions' code and the worker sockets live
 * @param maxPayloadBytes the largest request body and function result accepted
 * @param activationRetention how long activation records are kept
 * @param stemCellsPerRuntime how many started, unspecialised workers wait per process runtime
 * @param maxQueuePerFunction how many activations of one function may wait for an instance before
 *     more are refused with 429
 * @param sandboxed whether node and python functions must run in sandboxes; false only when the
 *     operator asked for it ({@code --no-sandbox})
 * @param cacheBackend where the functions' caches live: in this process, or in a Redis
 * @param cache the caches' TTLs, limits and quotas
 * @param packageSources where pip finds python functions' dependencies ({@code --pip-index-url},
 *     {@code --pip-find-links})
 * @param topics where topics' messages go: in this process, or on NATS ({@code --nats})
 * @param scaling how the functions' instances share the node: their memory together
 *     ({@code --worker-memory}), the longest wait for one ({@code --max-wait}), when an idle one pauses
 *     ({@code --pause-after})
 * @param debugging which failed activations' sandboxes are kept for a debugger ({@code --debug-window},
 *     {@code --debug-keep}, {@code --debug-on})
 */
public record ServerOptions(
        String host, int port, Path dataDir, long maxPayloadBytes, Duration activationRetention,
        int stemCellsPerRuntime, int maxQueuePerFunction, boolean sandboxed,
        NodeOptions.CacheChoice cacheBackend, CacheSettings cache, PackageSources packageSources,
        NodeOptions.TopicsChoice topics, Scaling scaling, Debugging debugging) {

    public static final int DEFAULT_PORT = 3233;

    public ServerOptions {
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
        }
        if (maxPayloadBytes < 1024) {
            throw new IllegalArgumentException("maxPayloadBytes must be at least 1024, was " + maxPayloadBytes);
        }
        if (activationRetention.isNegative() || activationRetention.isZero()) {
            throw new IllegalArgumentException("activationRetention must be positive, was " + activationRetention);
        }
        if (stemCellsPerRuntime < 0 || stemCellsPerRuntime > 64) {
            throw new IllegalArgumentException(
                    "stemCellsPerRuntime must be between 0 and 64, was " + stemCellsPerRuntime);
        }
        if (maxQueuePerFunction < 0) {
            throw new IllegalArgumentException("maxQueuePerFunction must be 0 or more, was " + maxQueuePerFunction);
        }
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /**
     * 127.0.0.1:3233, data in {@code ~/.cove}, 1 MB payloads, records kept 7 days, 2 stem cells, 1000
     * activations waiting per function, sandboxes required, the embedded cache, pip's default index,
     * topics in this process, half the machine's memory for the workers, waits of up to a minute for an
     * instance, idle instances paused after ten seconds, the sandboxes of the last 3 activations that
     * failed (as developer errors or timeouts) kept 5 minutes.
     */
    public static ServerOptions defaults() {
        return new ServerOptions("127.0.0.1", DEFAULT_PORT, defaultDataDir(), 1024 * 1024,
                Duration.ofDays(7), 2, 1000, true, new NodeOptions.EmbeddedCache(), CacheSettings.defaults(),
                PackageSources.DEFAULT, new NodeOptions.EmbeddedTopics(), Scaling.of(defaultWorkerMemoryMb()), Debugging.DEFAULT);
    }

    /** Half the machine's memory, in MB: what the workers may have together unless told otherwise. */
    public static long defaultWorkerMemoryMb() {
        var os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        return Math.max(Scaling.MIN_WORKER_MEMORY_MB, os.getTotalMemorySize() / 2 / (1024 * 1024));
    }

    /** {@code ~/.cove} of this process's {@link #home}. */
    public static Path defaultDataDir() {
        return defaultDataDir(System.getenv());
    }

    /** {@code ~/.cove} of the {@link #home} these environment variables give. */
    public static Path defaultDataDir(Map<String, String> environment) {
        return home(environment).resolve(".cove");
    }

    /**
     * The home folder: {@code $HOME} when it is set and not empty, as every other command-line tool
     * takes it, else the account's. The JVM's {@code user.home} is the account's alone (from its passwd
     * entry), whatever {@code $HOME} says.
     */
    public static Path home(Map<String, String> environment) {
        String home = environment.get("HOME");
        return Path.of(home == null || home.isEmpty() ? System.getProperty("user.home") : home);
    }

    public ServerOptions withHost(String newHost) {
        return new ServerOptions(newHost, port, dataDir, maxPayloadBytes, activationRetention, stemCellsPerRuntime, maxQueuePerFunction, sandboxed, cacheBackend, cache, packageSources, topics, scaling, debugging);
    }

    public ServerOptions withPort(int newPort) {
        return new ServerOptions(host, newPort, dataDir, maxPayloadBytes, activationRetention, stemCellsPerRuntime, maxQueuePerFunction, sandboxed, cacheBackend, cache, packageSources, topics, scaling, debugging);
    }

    public ServerOptions withDataDir(Path newDataDir) {
        return new ServerOptions(host, port, newDataDir, maxPayloadBytes, activationRetention, stemCellsPerRuntime, maxQueuePerFunction, sandboxed, cacheBackend, cache, packageSources, topics, scaling, debugging);
    }

    public ServerOptions withMaxPayloadBytes(long bytes) {
        return new ServerOptions(host, port, dataDir, bytes, activationRetention, stemCellsPerRuntime, maxQueuePerFunction, sandboxed, cacheBackend, cache, packageSources, topics, scaling, debugging);
    }

    public ServerOptions withActivationRetention(Duration retention) {
        return new ServerOptions(host, port, dataDir, maxPayloadBytes, retention, stemCellsPerRuntime, maxQueuePerFunction, sandboxed, cacheBackend, cache, packageSources, topics, scaling, debugging);
    }

    public ServerOptions withStemCellsPerRuntime(int count) {
        return new ServerOptions(host, port, dataDir, maxPayloadBytes, activationRetention, count, maxQueuePerFunction, sandboxed, cacheBackend, cache, packageSources, topics, scaling, debugging);
    }

    public ServerOptions withMaxQueuePerFunction(int count) {
        return new ServerOptions(host, port, dataDir, maxPayloadBytes, activationRetention, stemCellsPerRuntime, count, sandboxed, cacheBackend, cache, packageSources, topics, scaling, debugging);
    }

    public ServerOptions withCacheBackend(NodeOptions.CacheChoice backend) {
        return new ServerOptions(host, port, dataDir, maxPayloadBytes, activationRetention, stemCellsPerRuntime, maxQueuePerFunction, sandboxed, backend, cache, packageSources, topics, scaling, debugging);
    }

    public ServerOptions withCache(CacheSettings settings) {
        return new ServerOptions(host, port, dataDir, maxPayloadBytes, activationRetention, stemCellsPerRuntime, maxQueuePerFunction, sandboxed, cacheBackend, settings, packageSources, topics, scaling, debugging);
    }

    public ServerOptions withSandboxed(boolean required) {
        return new ServerOptions(host, port, dataDir, maxPayloadBytes, activationRetention, stemCellsPerRuntime, maxQueuePerFunction, required, cacheBackend, cache, packageSources, topics, scaling, debugging);
    }

    public ServerOptions withPackageSources(PackageSources sources) {
        return new ServerOptions(host, port, dataDir, maxPayloadBytes, activationRetention, stemCellsPerRuntime, maxQueuePerFunction, sandboxed, cacheBackend, cache, sources, topics, scaling, debugging);
    }

    public ServerOptions withTopics(NodeOptions.TopicsChoice choice) {
        return new ServerOptions(host, port, dataDir, maxPayloadBytes, activationRetention, stemCellsPerRuntime, maxQueuePerFunction, sandboxed, cacheBackend, cache, packageSources, choice, scaling, debugging);
    }

    public ServerOptions withDebugging(Debugging settings) {
        return new ServerOptions(host, port, dataDir, maxPayloadBytes, activationRetention, stemCellsPerRuntime, maxQueuePerFunction, sandboxed, cacheBackend, cache, packageSources, topics, scaling, settings);
    }

    public ServerOptions withScaling(Scaling settings) {
        return new ServerOptions(host, port, dataDir, maxPayloadBytes, activationRetention, stemCellsPerRuntime, maxQueuePerFunction, sandboxed, cacheBackend, cache, packageSources, topics, settings, debugging);
    }
}
