package dev.cove.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A function's network, in python and in Java's process tier: {@code none} reaches nothing but its own loopback; {@code outbound} reaches
 * beyond this machine through slirp4netns, and neither reaches the API port or any service of the
 * host, on its loopback or on its own addresses.
 */
class SandboxNetworkIT {
    /** A public host the build itself reaches (Maven Central), to show outbound traffic really leaves. */
    private static final String OUTSIDE = "repo1.maven.org";

    @TempDir
    static Path dataDir;
    static TestCove cove;
    static ServerSocket onLoopback;
    static ServerSocket onHostAddress;
    static String hostAddress;

    @BeforeAll
    static void start() throws Exception {
        cove = new TestCove(dataDir);
        assertThat(cove.server.isolation()).contains("bubblewrap", "outbound networking by slirp4netns");
        onLoopback = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        hostAddress = NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress()).findFirst()
                .orElseThrow(() -> new AssertionError("this test needs a non-loopback IPv4 address on the host"))
                .getHostAddress();
        onHostAddress = new ServerSocket(0, 50, InetAddress.getByName(hostAddress));
        for (String runtime : List.of("python", "java-process")) {
            String code = Files.readString(Path.of("src/test/resources/sandbox/"
                    + (runtime.equals("python") ? "netprobe.py" : "NetProbe.java")));
            String kind = RuntimeConformanceIT.kind(runtime);
            assertThat(cove.deploy("closed-" + runtime, kind, code, RuntimeConformanceIT.tiered(runtime, TestCove.object()))
                    .status()).isEqualTo(200);
            ObjectNode outbound = RuntimeConformanceIT.tiered(runtime, TestCove.object());
            outbound.putObject("limits").put("network", "outbound");
            TestCove.Answer deployed = cove.deploy("open-" + runtime, kind, code, outbound);
            assertThat(deployed.status()).isEqualTo(200);
            assertThat(deployed.json().path("limits").path("network").asText()).isEqualTo("outbound");
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (cove != null) {
            cove.close();
        }
        if (onLoopback != null) {
            onLoopback.close();
        }
        if (onHostAddress != null) {
            onHostAddress.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "java-process"})
    void aFunctionWithoutNetworkReachesNothingButItsOwnLoopback(String runtime) throws Exception {
        JsonNode report = probe("closed-" + runtime, List.of(
                target("10.0.2.2", onLoopback.getLocalPort()),
                target(hostAddress, onHostAddress.getLocalPort()),
                target(hostAddress, cove.server.port()),
                target("127.0.0.1", cove.server.port()),
                target("203.0.113.1", 80)));
        assertThat(report.path("interfaces").isEmpty()).as("routes: %s", report).isTrue();
        assertThat(texts(report.path("results")))
                .containsExactly("ENETUNREACH", "ENETUNREACH", "ENETUNREACH", "ECONNREFUSED", "ENETUNREACH");
    }

    @ParameterizedTest
    @ValueSource(strings = {"python", "java-process"})
    void anOutboundFunctionReachesBeyondTheMachineButNeverTheMachineItself(String runtime) throws Exception {
        boolean hostReachesOutside = reachable(OUTSIDE, 443);
        JsonNode report = probe("open-" + runtime, List.of(
                target("10.0.2.2", onLoopback.getLocalPort()),
                target("10.0.2.2", cove.server.port()),
                target(hostAddress, onHostAddress.getLocalPort()),
                target(hostAddress, cove.server.port()),
                target("127.0.0.1", cove.server.port()),
                target("203.0.113.1", 80),
                target(OUTSIDE, 443)));
        assertThat(texts(report.path("interfaces"))).as("routes: %s", report).contains("tap0");
        List<String> results = texts(report.path("results"));
        assertThat(results.subList(0, 5)).as("the host, seen from an outbound sandbox")
                .noneMatch("open"::equals)
                .containsExactly("ENETUNREACH", "ENETUNREACH", "EACCES", "EACCES", "ECONNREFUSED");
        // a documentation address: whatever the networks beyond make of it, the attempt left the sandbox,
        // where a closed sandbox fails at once for want of a route
        assertThat(results.get(5)).isNotIn("ENETUNREACH", "EACCES");
        if (hostReachesOutside) {
            assertThat(results.get(6)).as("%s:443, reachable from the host", OUTSIDE).isEqualTo("open");
        }
    }

    @Test
    void theNetworkHelperEndsWithItsSandbox() throws Exception {
        ObjectNode outbound = TestCove.object();
        outbound.putObject("limits").put("network", "outbound");
        String code = Files.readString(Path.of("src/test/resources/sandbox/netprobe.py"));
        assertThat(cove.deploy("short-lived", "python:3", code, outbound).status()).isEqualTo(200);
        probe("short-lived", List.of());
        long before = slirps();
        assertThat(before).isPositive();
        assertThat(cove.delete("/api/v1/namespaces/_/actions/short-lived").status()).isEqualTo(200);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (slirps() >= before && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(slirps()).isLessThan(before);
    }

    /**
     * The server's environment holds a secret, as {@code cove up}'s does with Redis (this module's build
     * sets {@code COVE_CACHE_REDIS_PASSWORD}): no process the platform started has it, slirp4netns
     * (root, on the host) least of all.
     */
    @Test
    void noProcessThePlatformStartsHasTheServersEnvironment() throws Exception {
        String secret = System.getenv("COVE_CACHE_REDIS_PASSWORD");
        assertThat(secret).as("set by cove-server/pom.xml's failsafe configuration").isNotBlank();
        probe("open-python", List.of());
        List<String> read = new ArrayList<>();
        List<String> leaks = new ArrayList<>();
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            String command = child.info().command().orElse("?");
            byte[] environ;
            try {
                environ = Files.readAllBytes(Path.of("/proc", Long.toString(child.pid()), "environ"));
            } catch (IOException e) {
                continue; // it ended meanwhile
            }
            read.add(command);
            if (new String(environ, StandardCharsets.UTF_8).contains(secret)) {
                leaks.add(child.pid() + " " + command);
            }
        }
        assertThat(read).as("the children read").anyMatch(c -> c.endsWith("slirp4netns")).anyMatch(c -> c.endsWith("bwrap"));
        assertThat(leaks).as("children with the server's secret").isEmpty();
    }

    @Test
    void anUnknownNetworkModeIsRefused() throws Exception {
        ObjectNode extra = TestCove.object();
        extra.putObject("limits").put("network", "everywhere");
        TestCove.Answer answer = cove.deploy("bad-network", "python:3", "def main(p):\n    return p\n", extra);
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("limits.network must be none or outbound, was everywhere");
    }

    private static JsonNode probe(String name, List<ArrayNode> targets) throws Exception {
        ObjectNode params = TestCove.object();
        targets.forEach(params.putArray("targets")::add);
        TestCove.Answer answer = cove.invoke(name, params);
        assertThat(answer.status()).as("%s", answer.json()).isEqualTo(200);
        return answer.json().path("response").path("result");
    }

    private static ArrayNode target(String host, int port) {
        return TestCove.JSON.createArrayNode().add(host).add(port);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 3000);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /** slirp4netns processes this server started that still run. */
    private static long slirps() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().command().map(c -> c.endsWith("slirp4netns")).orElse(false)).count();
    }
}
