package dev.cove.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cove.core.cache.CacheCopies;
import dev.cove.core.cache.CacheGateway;
import dev.cove.core.cache.CacheGatewayTest;
import dev.cove.core.model.CacheSettings;
import dev.cove.core.spi.CacheBackend;
import dev.cove.core.spi.CacheBackendContract;
import dev.cove.core.spi.CacheScope;
import dev.cove.core.spi.CacheUnavailableException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.params.ClientKillParams;

/** The contract against a real redis-server this test starts, and what only Redis has: credentials, prefixes, layout. */
class RedisCacheIT extends CacheBackendContract {
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
    protected CacheBackend create(CacheSettings settings) {
        return RedisCacheBackend.create(server.settings(), settings);
    }

    @Override
    protected void elapse(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Watches the backend, once it hears its Redis. */
    static Told watched(CacheBackend cache) {
        Told told = new Told(cache);
        await(cache::watching, "watching");
        return told;
    }

    static void awaitLine(Told told, String line) {
        await(() -> told.lines.contains(line), "told " + line + ", was told " + told.lines);
    }

    static void await(BooleanSupplier condition, String what) {
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
        CacheBackend cache = open();
        Told told = watched(cache);
        cache.set(CART, "own", bytes("v"));
        assertThat(told.lines).as("told before set returned").contains("cart own");

        try (CacheBackend other = RedisCacheBackend.create(server.settings(), CacheSettings.defaults())) {
            other.set(CART, "k", bytes("1"));
            awaitLine(told, "cart k");
            other.increment(SHOP, "n", 1);
            awaitLine(told, "app n");
            other.delete(CART, "own");
            other.clear(SHOP);
            other.set(CART, "fence", bytes("1"));
            awaitLine(told, "cart fence");
            told.lines.clear();
            for (int i = 0; i < 5; i++) {
                other.get(CART, "k");
                other.get(SHOP, "nothing");
            }
            other.set(SHOP, "marker", bytes("m"));
            awaitLine(told, "app marker");
            assertThat(told.lines).as("gets, which write only counters, are not changes").containsExactly("app marker");
        }
        admin.set("cove:d{5:guest4:shopf4:cart}raw", "\"by hand\"");
        awaitLine(told, "cart raw");
        admin.flushAll();
        awaitLine(told, "all");
        assertThat(cache.watching()).as("a flush is heard, not lost").isTrue();
    }

    @Test
    void whenHearingIsLostCopiesAreDroppedAndNoneAreTrustedUntilItIsBack() {
        CacheBackend cache = open();
        Told told = watched(cache);
        try (Jedis operator = new Jedis("127.0.0.1", server.port)) {
            operator.auth(SECRET);
            killWatch(operator);
        }
        awaitLine(told, "all");
        assertThat(told.watchingWhenAllChanged).as("not watching by the time all changed is told").containsExactly(false);
        await(cache::watching, "watching again");
        try (CacheBackend other = RedisCacheBackend.create(server.settings(), CacheSettings.defaults())) {
            other.set(CART, "after", bytes("1"));
            awaitLine(told, "cart after");
        }
    }

    @Test
    void theGatewayLetsWorkersKeepCopiesOfRedisEntriesAndTellsThemOfOtherPlatformsWrites() {
        CacheBackend cache = open();
        CacheGateway gateway = CacheGateway.create(cache, new SimpleMeterRegistry());
        await(cache::watching, "watching");
        List<String> heard = new CopyOnWriteArrayList<>();
        CacheCopies keeper = CacheGatewayTest.keeper(heard);
        try (CacheBackend other = RedisCacheBackend.create(server.settings(), CacheSettings.defaults())) {
            CacheScope origin = CacheScope.function("guest", "tiles", "origin");
            other.set(origin, "t", bytes("\"png\""), Duration.ofMinutes(1));
            ObjectNode got = gateway.handle(CacheGatewayTest.ORIGIN, CacheGatewayTest.op("get", "function", "t"),
                    Optional.of(keeper)).join();
            assertThat(got.path("value").asText()).isEqualTo("png");
            assertThat(got.path("keepMs").asLong()).isBetween(50_000L, 59_999L);
            other.set(origin, "t", bytes("\"new\""));
            await(() -> heard.contains("origin t"), "the keeper told of another platform's write");
        }
    }

    @Test
    void whileTheGatewayCanNotHearRedisItTellsEveryKeeperAllChangedAndGrantsNoCopies() throws Exception {
        CacheBackend cache = open();
        CacheGateway gateway = CacheGateway.create(cache, new SimpleMeterRegistry());
        await(cache::watching, "watching");
        List<String> heard = new CopyOnWriteArrayList<>();
        CacheCopies keeper = CacheGatewayTest.keeper(heard);
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
        CacheBackend cache = open();
        assertThat(cache.describe()).isEqualTo("redis at 127.0.0.1:" + server.port
                + " with a password, prefix 'cove:', 64 MB and 10000 entries per scope").doesNotContain(SECRET);
        assertThat(server.settings().toString()).doesNotContain(SECRET).contains("password=(set)");
    }

    @Test
    void aWrongPasswordFailsAsUnavailableWithoutShowingIt() {
        RedisSettings wrong = RedisSettings.of("127.0.0.1", server.port).withPassword("not-the-password");
        CacheBackend cache = open(CacheSettings.defaults());
        cache.set(CART, "k", bytes("v"));
        try (CacheBackend refused = RedisCacheBackend.create(wrong, CacheSettings.defaults())) {
            assertThatThrownBy(() -> refused.get(CART, "k"))
                    .isInstanceOf(CacheUnavailableException.class)
                    .hasMessageStartingWith("The cache's Redis at 127.0.0.1:" + server.port + " failed: ")
                    .hasMessageNotContaining("not-the-password");
        }
    }

    @Test
    void anAclUserWorksAndOneWithoutWriteRightsFailsAsUnavailable() {
        RedisSettings cove = RedisSettings.of("127.0.0.1", server.port).withUser("cove").withPassword("cove-secret");
        RedisSettings reader = RedisSettings.of("127.0.0.1", server.port).withUser("reader").withPassword("reader-secret");
        try (CacheBackend asCove = RedisCacheBackend.create(cove, CacheSettings.defaults());
                CacheBackend asReader = RedisCacheBackend.create(reader, CacheSettings.defaults())) {
            asCove.set(CART, "k", bytes("v"));
            assertThat(text(asCove.get(CART, "k"))).isEqualTo("v");
            assertThat(asCove.describe()).contains(" as cove with a password").doesNotContain("cove-secret");
            assertThatThrownBy(() -> asReader.set(CART, "k", bytes("w")))
                    .isInstanceOf(CacheUnavailableException.class);
        }
    }

    @Test
    void aRedisThatIsNotThereFailsAsUnavailable() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        RedisSettings nobody = RedisSettings.of("127.0.0.1", port);
        try (CacheBackend cache = RedisCacheBackend.create(nobody, CacheSettings.defaults())) {
            assertThatThrownBy(() -> cache.get(CART, "k")).isInstanceOf(CacheUnavailableException.class);
        }
    }

    @Test
    void platformsWithOtherPrefixesShareARedisWithoutSharingEntries() {
        RedisSettings other = server.settings().withKeyPrefix("staging:");
        CacheBackend cache = open();
        try (CacheBackend staging = RedisCacheBackend.create(other, CacheSettings.defaults())) {
            cache.set(CART, "k", bytes("production"));
            staging.set(CART, "k", bytes("staging"));
            assertThat(text(cache.get(CART, "k"))).isEqualTo("production");
            assertThat(text(staging.get(CART, "k"))).isEqualTo("staging");
            staging.clear(CART);
            assertThat(text(cache.get(CART, "k"))).isEqualTo("production");
        }
    }

    @Test
    void entriesLieWhereTheDocsSay() {
        CacheBackend cache = open();
        cache.set(CART, "a:b", bytes("v"));
        assertThat(admin.get("cove:d{5:guest4:shopf4:cart}a:b")).isEqualTo("v");
        assertThat(admin.pttl("cove:d{5:guest4:shopf4:cart}a:b")).isPositive();
        assertThat(admin.smembers("cove:n5:guest")).containsExactly("5:guest4:shopf4:cart");
        cache.clear(CART);
        assertThat(admin.keys("*")).isEmpty();
    }
}
