package dev.cove.core.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;

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

    @Test
    void copiesAreNotKeptOfWhatOthersMayWriteBehindItsBack() {
        assertThat(open().watch((scope, key) -> { })).isFalse();
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
        assertThat(admin.get("cove:{5:guest4:shopf4:cart}ka:b")).isEqualTo("v");
        assertThat(admin.pttl("cove:{5:guest4:shopf4:cart}ka:b")).isPositive();
        assertThat(admin.smembers("cove:n5:guest")).containsExactly("5:guest4:shopf4:cart");
        cache.clear(CART);
        assertThat(admin.keys("*")).isEmpty();
    }
}
