package dev.cove.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetTest {

    @TempDir
    Path dir;

    private Path config(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return file;
    }

    private Path fileWithBoth() throws Exception {
        return config("{\"apihost\": \"http://file:1\", \"auth\": \"file:key\"}");
    }

    @Test
    void flagsWinOverTheEnvironmentAndTheFile() throws Exception {
        CliEnv env = new CliEnv(Map.of("COVE_APIHOST", "http://env:2", "COVE_AUTH", "env:key"), fileWithBoth());

        Target target = Target.resolve(Optional.of("http://flag:3"), Optional.of("flag:key"), env);

        assertThat(target).isEqualTo(new Target("http://flag:3", Optional.of("flag:key")));
    }

    @Test
    void theEnvironmentWinsOverTheFile() throws Exception {
        CliEnv env = new CliEnv(Map.of("COVE_APIHOST", "http://env:2", "COVE_AUTH", "env:key"), fileWithBoth());

        Target target = Target.resolve(Optional.empty(), Optional.empty(), env);

        assertThat(target).isEqualTo(new Target("http://env:2", Optional.of("env:key")));
    }

    @Test
    void eachSettingFallsBackOnItsOwn() throws Exception {
        CliEnv env = new CliEnv(Map.of("COVE_AUTH", "env:key"), fileWithBoth());

        Target target = Target.resolve(Optional.empty(), Optional.empty(), env);

        assertThat(target).isEqualTo(new Target("http://file:1", Optional.of("env:key")));
    }

    @Test
    void theFileIsUsedWhenNothingElseSaysAnything() throws Exception {
        Target target = Target.resolve(Optional.empty(), Optional.empty(), new CliEnv(Map.of(), fileWithBoth()));

        assertThat(target).isEqualTo(new Target("http://file:1", Optional.of("file:key")));
    }

    @Test
    void withoutAnySettingTheLocalServerIsAssumedWithoutCredentials() {
        CliEnv env = new CliEnv(Map.of(), dir.resolve("missing.json"));

        Target target = Target.resolve(Optional.empty(), Optional.empty(), env);

        assertThat(target).isEqualTo(new Target("http://127.0.0.1:3233", Optional.empty()));
    }

    @Test
    void blankValuesCountAsUnset() throws Exception {
        CliEnv env = new CliEnv(Map.of("COVE_APIHOST", " ", "COVE_AUTH", ""), fileWithBoth());

        Target target = Target.resolve(Optional.of(""), Optional.empty(), env);

        assertThat(target).isEqualTo(new Target("http://file:1", Optional.of("file:key")));
    }

    @Test
    void aFileIsNotReadWhenFlagsAndEnvironmentSayEverything() throws Exception {
        CliEnv env = new CliEnv(Map.of("COVE_AUTH", "env:key"), config("not json"));

        Target target = Target.resolve(Optional.of("http://flag:3"), Optional.empty(), env);

        assertThat(target.apiHost()).isEqualTo("http://flag:3");
    }

    @Test
    void aBrokenConfigFileIsOneClearError() throws Exception {
        Path file = config("{not json");
        CliEnv env = new CliEnv(Map.of(), file);

        assertThatThrownBy(() -> Target.resolve(Optional.empty(), Optional.empty(), env))
                .isInstanceOf(CliException.class)
                .hasMessage("the config file " + file + " is not a JSON object - delete it and run ./cove up again");
    }

    @Test
    void apiHostsAreNormalized() {
        assertThat(Target.normalize("127.0.0.1:3233")).isEqualTo("http://127.0.0.1:3233");
        assertThat(Target.normalize("http://localhost:3233/")).isEqualTo("http://localhost:3233");
        assertThat(Target.normalize(" https://cove.example.com ")).isEqualTo("https://cove.example.com");
    }

    @Test
    void anApiHostThatIsNoHttpUrlIsRefused() {
        assertThatThrownBy(() -> Target.normalize("ftp://x"))
                .hasMessage("the API host 'ftp://x' is not a URL like http://127.0.0.1:3233");
        assertThatThrownBy(() -> Target.normalize("http://"))
                .isInstanceOf(CliException.class);
    }

    @Test
    void theConfigPathComesFromCoveConfigOrTheHomeFolder() {
        Path home = Path.of("/home/ada");

        assertThat(CliEnv.configPath(Map.of(), home)).isEqualTo(Path.of("/home/ada/.cove/config.json"));
        assertThat(CliEnv.configPath(Map.of("COVE_CONFIG", "/etc/cove.json"), home)).isEqualTo(Path.of("/etc/cove.json"));
    }

    @Test
    void theHomeFolderIsHomeWhereItIsSet() {
        CliEnv env = CliEnv.of(Map.of("HOME", "/tmp/scratch"));

        assertThat(env.configFile()).isEqualTo(Path.of("/tmp/scratch/.cove/config.json"));
        assertThat(env.defaultDataDir()).isEqualTo(Path.of("/tmp/scratch/.cove"));
        Path account = Path.of(System.getProperty("user.home"), ".cove");
        assertThat(CliEnv.of(Map.of("HOME", "")).defaultDataDir()).as("empty: the account's").isEqualTo(account);
        assertThat(CliEnv.of(Map.of()).defaultDataDir()).as("unset: the account's").isEqualTo(account);
    }
}
