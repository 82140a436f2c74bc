package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cove.cache.redis.RedisSettings;
import dev.cove.core.model.CacheSettings;
import dev.cove.core.model.PackageSources;
import dev.cove.node.NodeOptions;
import dev.cove.server.ServerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ParameterException;

class UpCommandTest {
    @TempDir
    Path dir;

    private ServerOptions options(String... args) {
        return up(Map.of(), args).options();
    }

    @Test
    void pipsSourcesAreTheOperatorsAndAWheelFolderIsMadeAbsolute() {
        assertThat(options().packageSources()).isEqualTo(PackageSources.DEFAULT);
        PackageSources sources = options("--pip-index-url", "https://pypi.example/simple",
                "--pip-find-links", "wheels").packageSources();
        assertThat(sources.pipIndexUrl()).isEqualTo("https://pypi.example/simple");
        assertThat(sources.pipFindLinks()).isEqualTo(Path.of("wheels").toAbsolutePath().toString());
        assertThat(options("--pip-find-links", "https://wheels.example/").packageSources().pipFindLinks())
                .isEqualTo("https://wheels.example/");
    }

    private UpCommand up(Map<String, String> env, String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "up";
        System.arraycopy(args, 0, all, 1, args.length);
        return Cli.with(env, dir.resolve("config.json")).parse(UpCommand.class, all);
    }

    @Test
    void javaFunctionsGetHalfTheCoresUnlessTold() {
        assertThat(System.getProperty(UpCommand.CARRIERS_PROPERTY)).isNull();
        assertThat(UpCommand.carriers(Optional.empty(), 1)).contains(1);
        assertThat(UpCommand.carriers(Optional.empty(), 2)).contains(1);
        assertThat(UpCommand.carriers(Optional.empty(), 8)).contains(4);
        assertThat(UpCommand.carriers(Optional.of(3), 2)).contains(3);
        assertThat(up(Map.of(), "--java-threads", "6").javaThreads).contains(6);
        assertThatThrownBy(() -> UpCommand.carriers(Optional.of(0), 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--java-threads must be between 1 and 256, was 0");
    }

    @Test
    void aCarrierCountTheJvmWasGivenIsKept() {
        System.setProperty(UpCommand.CARRIERS_PROPERTY, "5");
        try {
            assertThat(UpCommand.carriers(Optional.of(3), 2)).isEmpty();
        } finally {
            System.clearProperty(UpCommand.CARRIERS_PROPERTY);
        }
    }

    @Test
    void theCacheDefaultsAreTheSettingsDefaults() {
        assertThat(options().cache()).isEqualTo(CacheSettings.defaults());
        assertThat(options().cacheBackend()).isEqualTo(new NodeOptions.EmbeddedCache());
    }

    @Test
    void theCachesTtlsAndQuotasAreTheOperators() {
        CacheSettings cache = options("--cache-ttl", "5m", "--cache-max-ttl", "2h", "--cache-entries", "50",
                "--cache-mb", "8").cache();
        assertThat(cache.defaultTtl()).isEqualTo(Duration.ofMinutes(5));
        assertThat(cache.maxTtl()).isEqualTo(Duration.ofHours(2));
        assertThat(cache.entriesPerScope()).isEqualTo(50);
        assertThat(cache.bytesPerScope()).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void aDefaultTtlOverTheMaximumIsAUsageError() {
        assertThatThrownBy(() -> options("--cache-ttl", "25h")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("defaultTtl must be between 1 ms and maxTtl");
    }

    @Test
    void redisTakesHostAndPortAndItsPasswordFromTheEnvironmentOnly() {
        NodeOptions.CacheChoice backend = up(Map.of("COVE_CACHE_REDIS_PASSWORD", "s3cret"), "--cache-redis",
                "10.0.0.5:6380").options().cacheBackend();
        assertThat(backend).isInstanceOf(NodeOptions.RedisCache.class);
        RedisSettings redis = ((NodeOptions.RedisCache) backend).settings();
        assertThat(redis.host()).isEqualTo("10.0.0.5");
        assertThat(redis.port()).isEqualTo(6380);
        assertThat(redis.password()).isEqualTo("s3cret");
        assertThat(redis.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> options("--cache-redis", "nohost")).isInstanceOf(ParameterException.class)
                .hasMessageContaining("HOST:PORT");
    }
}
