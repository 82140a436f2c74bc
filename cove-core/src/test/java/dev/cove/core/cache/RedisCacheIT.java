package dev.cove.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ClientKillParams;

/** The contract against a real redis-server this test starts, and what only Redis has: credentials, prefixes, layout. */
class RedisCacheIT extends CacheContract {
    static final String SECRET = "s3cret-for-cove-tests";
    static RedisServer server;
    static RedisClient admin;

    @BeforeAll
    static void startRedis() throws Exception {
        server = RedisServer.start(SECRET);
        admin = RedisClient.builder().hostAndPort("127.0.0.1", server.port)
                .clientConfig(DefaultJedisClientConfig.builder().password(SECRET).build()).build();
    }

    @AfterAll
    static void stopRedis() throws Exception {
        admin.close();
        server.close();
    }

    @BeforeEach
    void emptyRedis() {
        admin.flushAll();
    }

    @Override
    Cache create(CacheSettings settings) {
        return Cache.redis(server.settings(), settings);
    }

    @Override
    void elapse(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a watcher is told, as "function key" lines ("app" for the shared scope, "*" for a whole scope, "all"). */
    static final class Told implements CacheWatcher {
        final List<String> lines = new CopyOnWriteArrayList<>();
        final List<Boolean> watchingWhenAllChanged = new CopyOnWriteArrayList<>();
        Cache cache;

        @Override
        public void changed(Scope scope, Optional<String> key) {
            lines.add(scope.function().orElse("app") + " " + key.orElse("*"));
        }

        @Override
        public void allChanged() {
            watchingWhenAllChanged.add(cache.watching());
            lines.add("all");
        }

        void awaitLine(String line) {
            RedisCacheIT.await(() -> lines.contains(line), "told " + line + ", was told " + lines);
        }
    }

    Told watched(Cache cache) {
        Told told = new Told();
        told.cache = cache;
        cache.watch(told);
        await(cache::watching, "watching");
        return told;
    }

    static void await(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within 10 s");
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Closes the connection a cache's watch listens on, as a restarted Redis or a cut network would. */
    static void killWatch(Jedis operator) {
        String watch = operator.clientList().lines().filter(line -> line.contains(" name=cove-cache-watch "))
                .map(line -> line.split(" ")[0].substring("id=".length())).findFirst().orElseThrow();
        operator.clientKill(new ClientKillParams().id(watch));
    }

    @Test
    void everyChangeIsHeardWhoeverMakesItAndItsOwnBeforeItsWriterIsAnswered() {
        Cache cache = open();
        Told told = watched(cache);
        cache.set(CART, "own", bytes("v"), Optional.empty());
        assertThat(told.lines).as("told before set returned").contains("cart own");

        try (Cache other = Cache.redis(server.settings(), CacheSettings.defaults())) {
            other.set(CART, "k", bytes("1"), Optional.empty());
            told.awaitLine("cart k");
            other.increment(SHOP, "n", 1, Optional.empty());
            told.awaitLine("app n");
            other.delete(CART, "own");
            other.clear(SHOP);
            other.set(CART, "fence", bytes("1"), Optional.empty());
            told.awaitLine("cart fence");
            told.lines.clear();
            for (int i = 0; i < 5; i++) {
                other.get(CART, "k");
                other.get(SHOP, "nothing");
            }
            other.set(SHOP, "marker", bytes("m"), Optional.empty());
            told.awaitLine("app marker");
            assertThat(told.lines).as("gets, which write only counters, are not changes").containsExactly("app marker");
        }
        admin.set("cove:d{5:guest4:shopf4:cart}raw", "\"by hand\"");
        told.awaitLine("cart raw");
        admin.flushAll();
        told.awaitLine("all");
        assertThat(cache.watching()).as("a flush is heard, not lost").isTrue();
    }

    @Test
    void whenHearingIsLostCopiesAreDroppedAndNoneAreTrustedUntilItIsBack() {
        Cache cache = open();
        Told told = watched(cache);
        try (Jedis operator = new Jedis("127.0.0.1", server.port)) {
            operator.auth(SECRET);
            killWatch(operator);
        }
        told.awaitLine("all");
        assertThat(told.watchingWhenAllChanged).as("not watching by the time all changed is told").containsExactly(false);
        await(cache::watching, "watching again");
        try (Cache other = Cache.redis(server.settings(), CacheSettings.defaults())) {
            other.set(CART, "after", bytes("1"), Optional.empty());
            told.awaitLine("cart after");
        }
    }

    @Test
    void theGatewayLetsWorkersKeepCopiesOfRedisEntriesAndTellsThemOfOtherPlatformsWrites() {
        Cache cache = open();
        CacheGateway gateway = CacheGateway.remote(cache, new SimpleMeterRegistry());
        await(cache::watching, "watching");
        List<String> heard = new CopyOnWriteArrayList<>();
        CacheCopies keeper = (scope, key) -> heard.add(scope.function().orElse("app") + " " + key.orElse("*"));
        try (Cache other = Cache.redis(server.settings(), CacheSettings.defaults())) {
            Scope origin = CacheGateway.scopeOf(CacheGatewayTest.ORIGIN, "function");
            other.set(origin, "t", bytes("\"png\""), Optional.of(Duration.ofMinutes(1)));
            ObjectNode got = gateway.handle(CacheGatewayTest.ORIGIN, CacheGatewayTest.op("get", "function", "t"),
                    Optional.of(keeper)).join();
            assertThat(got.path("value").asText()).isEqualTo("png");
            assertThat(got.path("keepMs").asLong()).isBetween(50_000L, 59_999L);
            other.set(origin, "t", bytes("\"new\""), Optional.empty());
            await(() -> heard.contains("origin t"), "the keeper told of another platform's write");
        }
    }

    @Test
    void whileTheGatewayCanNotHearRedisItTellsEveryKeeperAllChangedAndGrantsNoCopies() throws Exception {
        Cache cache = open();
        CacheGateway gateway = CacheGateway.remote(cache, new SimpleMeterRegistry());
        await(cache::watching, "watching");
        List<String> heard = new CopyOnWriteArrayList<>();
        CacheCopies keeper = (scope, key) -> heard.add(scope.function().orElse("app") + " " + key.orElse("*"));
        ObjectNode set = CacheGatewayTest.op("set", "function", "t").put("value", "png");
        gateway.handle(CacheGatewayTest.ORIGIN, set, Optional.empty()).join();
        ObjectNode get = CacheGatewayTest.op("get", "function", "t");
        assertThat(gateway.handle(CacheGatewayTest.ORIGIN, get, Optional.of(keeper)).join().has("keepMs")).isTrue();
        gateway.handle(CacheGatewayTest.TILE, CacheGatewayTest.op("get", "app", "a"), Optional.of(keeper)).join();

        try (Jedis operator = new Jedis("127.0.0.1", server.port)) {
            operator.auth(SECRET);
            // the watch can't connect again until the password is back; the pool's connections stay logged in
            operator.configSet("requirepass", "changed-for-a-while");
            try {
                killWatch(operator);
                await(() -> heard.containsAll(List.of("origin *", "app *")), "every scope read told, was " + heard);
                assertThat(cache.watching()).isFalse();
                ObjectNode blind = gateway.handle(CacheGatewayTest.ORIGIN, get, Optional.of(keeper)).join();
                assertThat(blind.path("value").asText()).isEqualTo("png");
                assertThat(blind.has("keepMs")).as("a copy while deaf").isFalse();
            } finally {
                operator.configSet("requirepass", SECRET);
            }
        }
        await(cache::watching, "watching again");
        assertThat(gateway.handle(CacheGatewayTest.ORIGIN, get, Optional.of(keeper)).join().has("keepMs")).isTrue();
    }

    @Test
    void thePasswordShowsNowhere() {
        Cache cache = open();
        assertThat(cache.describe()).isEqualTo("redis at 127.0.0.1:" + server.port
                + " with a password, prefix 'cove:', 64 MB and 10000 entries per scope").doesNotContain(SECRET);
        assertThat(server.settings().toString()).doesNotContain(SECRET).contains("password=(set)");
    }

    @Test
    void aWrongPasswordFailsAsUnavailableWithoutShowingIt() {
        RedisSettings wrong = new RedisSettings("127.0.0.1", server.port, Optional.empty(),
                Optional.of("not-the-password"), Optional.empty());
        Cache cache = open(CacheSettings.defaults());
        cache.set(CART, "k", "v".getBytes(java.nio.charset.StandardCharsets.UTF_8), Optional.empty());
        try (Cache refused = Cache.redis(wrong, CacheSettings.defaults())) {
            assertThatThrownBy(() -> refused.get(CART, "k"))
                    .isInstanceOf(CacheUnavailableException.class)
                    .hasMessageStartingWith("The cache's Redis at 127.0.0.1:" + server.port + " failed: ")
                    .hasMessageNotContaining("not-the-password");
        }
    }

    @Test
    void anAclUserWorksAndOneWithoutWriteRightsFailsAsUnavailable() {
        RedisSettings cove = new RedisSettings("127.0.0.1", server.port, Optional.of("cove"),
                Optional.of("cove-secret"), Optional.empty());
        RedisSettings reader = new RedisSettings("127.0.0.1", server.port, Optional.of("reader"),
                Optional.of("reader-secret"), Optional.empty());
        try (Cache asCove = Cache.redis(cove, CacheSettings.defaults());
                Cache asReader = Cache.redis(reader, CacheSettings.defaults())) {
            asCove.set(CART, "k", CacheContract.bytes("v"), Optional.empty());
            assertThat(text(asCove.get(CART, "k"))).isEqualTo("v");
            assertThat(asCove.describe()).contains(" as cove with a password").doesNotContain("cove-secret");
            assertThatThrownBy(() -> asReader.set(CART, "k", CacheContract.bytes("w"), Optional.empty()))
                    .isInstanceOf(CacheUnavailableException.class);
        }
    }

    @Test
    void aRedisThatIsNotThereFailsAsUnavailable() throws Exception {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (Cache cache = Cache.redis(RedisSettings.of("127.0.0.1", port), CacheSettings.defaults())) {
            assertThatThrownBy(() -> cache.get(CART, "k")).isInstanceOf(CacheUnavailableException.class);
        }
    }

    @Test
    void platformsWithOtherPrefixesShareARedisWithoutSharingEntries() {
        RedisSettings other = new RedisSettings("127.0.0.1", server.port, Optional.empty(), Optional.of(SECRET),
                Optional.of("staging:"));
        Cache cache = open();
        try (Cache staging = Cache.redis(other, CacheSettings.defaults())) {
            cache.set(CART, "k", CacheContract.bytes("production"), Optional.empty());
            staging.set(CART, "k", CacheContract.bytes("staging"), Optional.empty());
            assertThat(text(cache.get(CART, "k"))).isEqualTo("production");
            assertThat(text(staging.get(CART, "k"))).isEqualTo("staging");
            staging.clear(CART);
            assertThat(text(cache.get(CART, "k"))).isEqualTo("production");
        }
    }

    @Test
    void entriesLieWhereTheDocsSay() {
        Cache cache = open();
        cache.set(CART, "a:b", CacheContract.bytes("v"), Optional.empty());
        assertThat(admin.get("cove:d{5:guest4:shopf4:cart}a:b")).isEqualTo("v");
        assertThat(admin.pttl("cove:d{5:guest4:shopf4:cart}a:b")).isPositive();
        assertThat(admin.smembers("cove:n5:guest")).containsExactly("5:guest4:shopf4:cart");
        cache.clear(CART);
        assertThat(admin.keys("*")).isEmpty();
    }
}
