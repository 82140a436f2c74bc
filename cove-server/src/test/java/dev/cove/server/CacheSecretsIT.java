package dev.cove.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.cache.redis.RedisSettings;
import dev.cove.node.NodeOptions;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.params.SetParams;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The function cache with a real redis-server behind it: functions use it through {@code ctx.cache},
 * their workers keep copies of what they read until Redis reports a change, whoever made it, and none
 * of them finds the Redis password or address anywhere it can look (its environment, every
 * /proc it can read, the files it can read, its own memory) or reaches the Redis port.
 */
class CacheSecretsIT {
    @TempDir
    static Path dir;
    static Process redis;
    static int redisPort;
    static String password;
    static TestCove cove;

    @BeforeAll
    static void start() throws Exception {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        password = HexFormat.of().formatHex(random);
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        redis = new ProcessBuilder("redis-server", "--bind", "127.0.0.1", "--port", Integer.toString(redisPort),
                "--save", "", "--appendonly", "no", "--requirepass", password)
                .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
        awaitPort(redisPort);
        RedisSettings redisSettings = RedisSettings.of("127.0.0.1", redisPort).withPassword(password);
        cove = new TestCove(ServerOptions.defaults().withPort(0).withDataDir(dir.resolve("data")).withStemCellsPerRuntime(1)
                .withCacheBackend(new NodeOptions.RedisCache(redisSettings)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (cove != null) {
            cove.close();
        }
        redis.destroy();
        redis.waitFor(10, TimeUnit.SECONDS);
    }

    static void awaitPort(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.shutdownOutput();
                return;
            } catch (IOException e) {
                Thread.sleep(25);
            }
        }
        throw new AssertionError("redis-server did not listen on " + port);
    }

    @Test
    void functionsUseTheRedisCacheThroughThePlatform() throws Exception {
        TestCove.Answer deployed = cove.deployFixture("python", "cachey", "redis-cachey", TestCove.object());
        assertThat(deployed.status()).isEqualTo(200);
        JsonNode out = cove.invoke("redis-cachey", TestCove.object().put("key", "r")).json().path("response").path("result");
        assertThat(out.path("json").path("text").asText()).isEqualTo("héllo");
        assertThat(out.path("counted").toString()).isEqualTo("[1,6]");
        assertThat(cove.get("/api/v1/namespaces/_/cache?function=redis-cachey").json().get(0).path("hits").asLong())
                .isPositive();
        assertThat(cove.get("/metrics").raw().body()).containsPattern(
                "cove_cache_hits_total\\{application=\"redis-cachey\",function=\"redis-cachey\",namespace=\"guest\"} [1-9]");
    }

    static final String KEEPER_JS = """
            async function main(p, ctx) {
              const seen = [];
              for (let i = 0; i < 3; i++) seen.push(await ctx.cache.get('k'));
              return { seen };
            }
            """;
    static final String KEEPER_PY = """
            def main(p, ctx):
                return {'seen': [ctx.cache.get('k') for _ in range(3)]}
            """;

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void workersKeepCopiesOfRedisEntriesAndHearOfWritesMadeBehindThePlatformsBack(String runtime) throws Exception {
        String name = "keeper-" + runtime;
        assertThat(cove.deploy(name, runtime + ":default", runtime.equals("nodejs") ? KEEPER_JS : KEEPER_PY,
                TestCove.object()).status()).isEqualTo(200);
        String key = "cove:d{5:guest" + name.length() + ":" + name + "f" + name.length() + ":" + name + "}k";
        try (Jedis other = new Jedis("127.0.0.1", redisPort)) {
            other.auth(password);
            other.set(key, "\"one\"", SetParams.setParams().px(60_000));
            assertThat(seen(name)).containsExactly("one", "one", "one");
            long scripts = scriptCalls(other);
            assertThat(seen(name)).containsExactly("one", "one", "one");
            assertThat(scriptCalls(other) - scripts).as("scripts Redis ran for three gets of a kept entry").isZero();

            other.set(key, "\"two\"", SetParams.setParams().px(60_000));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<String> seen = seen(name);
            while (!seen.equals(List.of("two", "two", "two")) && System.nanoTime() < deadline) {
                seen = seen(name);
            }
            assertThat(seen).as("the copy after another platform's write (the entry lives 60 s more)")
                    .containsExactly("two", "two", "two");
        }
    }

    static List<String> seen(String name) throws Exception {
        TestCove.Answer answer = cove.invoke(name, TestCove.object());
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        List<String> seen = new ArrayList<>();
        answer.json().path("response").path("result").path("seen").forEach(v -> seen.add(v.asText()));
        return seen;
    }

    /** How many scripts (EVAL and EVALSHA) Redis has run. */
    static long scriptCalls(Jedis redis) {
        return redis.info("commandstats").lines().filter(line -> line.matches("cmdstat_eval(sha)?:.*"))
                .mapToLong(line -> Long.parseLong(line.replaceAll(".*calls=(\\d+),.*", "$1"))).sum();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nodejs", "python"})
    void noFunctionFindsTheRedisPasswordOrAddressOrReachesItsPort(String runtime) throws Exception {
        String code = Files.readString(Path.of("src/test/resources/secrets/seek" + (runtime.equals("nodejs") ? ".js" : ".py")));
        ObjectNode limits = TestCove.object();
        limits.putObject("limits").put("network", "outbound").put("timeout", 60_000).put("memory", 512);
        assertThat(cove.deploy("seek-" + runtime, runtime + ":default", code, limits).status()).isEqualTo(200);
        ObjectNode params = TestCove.object();
        ArrayNode secrets = params.putArray("secrets");
        secrets.add(secret("the Redis password", password));
        secrets.add(secret("the Redis address", "127.0.0.1:" + redisPort));
        ArrayNode hosts = params.put("port", redisPort).putArray("hosts");
        hostAddresses().forEach(hosts::add);

        TestCove.Answer answer = cove.invoke("seek-" + runtime, params);
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(200);
        JsonNode report = answer.json().path("response").path("result");
        assertThat(report.path("found")).as("where a secret was found").isEmpty();
        assertThat(report.path("files").asInt()).as("files read").isPositive();
        assertThat(report.path("memoryBytes").asLong()).as("bytes of its own memory read").isGreaterThan(1_000_000);
        assertThat(report.path("connections").size()).isEqualTo(hosts.size());
        report.path("connections").properties().forEach(c ->
                assertThat(c.getValue().asText()).as("connecting to the Redis port on " + c.getKey())
                        .isNotEqualTo("connected"));
    }

    static ObjectNode secret(String name, String secret) throws Exception {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        return TestCove.object().put("name", name).put("prefix", secret.substring(0, 6)).put("length", bytes.length)
                .put("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    }

    /** 127.0.0.1 and every IPv4 address of this machine. */
    static List<String> hostAddresses() throws Exception {
        List<String> all = new ArrayList<>(List.of("127.0.0.1"));
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            Collections.list(nic.getInetAddresses()).stream().filter(a -> a instanceof Inet4Address)
                    .map(a -> a.getHostAddress()).filter(a -> !all.contains(a)).forEach(all::add);
        }
        return all;
    }
}
