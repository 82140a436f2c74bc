package dev.cove.sandbox.bubblewrap;

import dev.cove.core.spi.ChildProcesses;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * User-mode networking for one sandbox whose function may reach addresses beyond this machine.
 *
 * <p>A sandbox starts with a network namespace of its own that holds only a loopback. Opening it
 * attaches slirp4netns to that namespace: a tap device with a default route, and DNS at 10.0.2.3,
 * all served by an ordinary unprivileged process on the host. slirp4netns's
 * {@code --disable-host-loopback} keeps the host's 127.0.0.1 out of reach through the gateway, and a
 * {@code prohibit} route for each of this machine's own addresses keeps the rest of the host out
 * (the API may be bound to one of them): the function holds no capability to change those routes.
 *
 * <p>Only a server running as root can do this. The sandbox's processes sit in a user namespace
 * nested in the one that owns its network namespace (bwrap nests one to mount /dev/pts and for
 * {@code --disable-userns}); an unprivileged server could only join the inner one, which gives no
 * say over the network, and a program it runs there to set routes would lose its capabilities at exec.
 *
 * <p>slirp4netns ends when its standard input closes, so it dies with the server however the
 * server ends; it reports being ready on descriptor 3, which the wrapper points at standard output.
 */
final class OutboundNetwork implements AutoCloseable {
    private static final String WRAPPER = "exec \"$@\" 3>&1 1>&2";
    private static final long READY_SECONDS = 10;

    private final Process slirp;

    private OutboundNetwork(Process slirp) {
        this.slirp = slirp;
    }

    /** Why outbound networking can't be had here, or empty when it can. */
    static Optional<String> unavailable() {
        if (!isRoot()) {
            return Optional.of("it needs the server to run as root");
        }
        if (find("slirp4netns").isEmpty()) {
            return Optional.of("slirp4netns was not found (install the package slirp4netns)");
        }
        if (find("ip").isEmpty() || find("nsenter").isEmpty()) {
            return Optional.of("ip or nsenter was not found (install the packages iproute2 and util-linux)");
        }
        return Optional.empty();
    }

    /**
     * Attaches networking to the network namespace of {@code pid} and fences off this machine.
     *
     * @param pid a process inside the sandbox, as the host numbers it
     * @param log where slirp4netns's own messages go
     */
    static OutboundNetwork attach(long pid, Path log) throws IOException {
        Optional<String> unavailable = unavailable();
        if (unavailable.isPresent()) {
            throw new IOException("outbound networking is unavailable here: " + unavailable.get());
        }
        List<String> command = List.of("/bin/sh", "-c", WRAPPER, "sh", find("slirp4netns").orElseThrow().toString(),
                "--configure", "--mtu=65520", "--disable-host-loopback", "--exit-fd=0", "--ready-fd=3",
                "--netns-type=path", "/proc/" + pid + "/ns/net", "tap0");
        Process process = ChildProcesses.builder(command, Map.of()).redirectError(log.toFile()).start();
        OutboundNetwork network = new OutboundNetwork(process);
        try {
            network.awaitReady(log);
            fenceOffHost(pid);
            return network;
        } catch (IOException e) {
            network.close();
            throw e;
        }
    }

    private void awaitReady(Path log) throws IOException {
        InputStream ready = slirp.getInputStream();
        CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> {
            try {
                return ready.read();
            } catch (IOException e) {
                return -1;
            }
        });
        int answer;
        try {
            answer = first.get(READY_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IOException("slirp4netns was not ready within " + READY_SECONDS + " s");
        } catch (ExecutionException e) {
            throw new IOException("slirp4netns failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting slirp4netns");
        }
        if (answer != '1') {
            throw new IOException("slirp4netns could not set up the sandbox's network: " + lastLine(log));
        }
    }

    /** A {@code prohibit} route in the sandbox for every IPv4 address of this machine's own. */
    private static void fenceOffHost(long pid) throws IOException {
        StringBuilder routes = new StringBuilder();
        for (InetAddress address : hostAddresses()) {
            routes.append("route add prohibit ").append(address.getHostAddress()).append("/32\n");
        }
        if (routes.isEmpty()) {
            return;
        }
        Process ip = ChildProcesses.builder(List.of(find("nsenter").orElseThrow().toString(),
                "--net=/proc/" + pid + "/ns/net", find("ip").orElseThrow().toString(), "-batch", "-"), Map.of())
                .redirectErrorStream(true).start();
        try (var in = ip.getOutputStream()) {
            in.write(routes.toString().getBytes(StandardCharsets.US_ASCII));
        }
        try {
            String out = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!ip.waitFor(READY_SECONDS, TimeUnit.SECONDS) || ip.exitValue() != 0) {
                ip.destroyForcibly();
                throw new IOException("could not keep the sandbox away from this machine's addresses: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while setting the sandbox's routes");
        }
    }

    /** This machine's IPv4 addresses outside 127/8 (the sandbox has its own loopback and no IPv6). */
    static List<InetAddress> hostAddresses() throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
                nic.inetAddresses().filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                        .forEach(addresses::add);
            }
        } catch (SocketException e) {
            throw new IOException("could not list this machine's addresses: " + e.getMessage(), e);
        }
        return addresses;
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.isEmpty() ? "(no message)" : lines.get(lines.size() - 1).trim();
        } catch (IOException e) {
            return "(no message)";
        }
    }

    private static Optional<Path> find(String program) {
        return Stream.of("/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/usr/local/bin/")
                .map(dir -> Path.of(dir + program)).filter(Files::isExecutable).findFirst();
    }

    /** Stops slirp4netns; the sandbox is left with its loopback only. */
    @Override
    public void close() {
        slirp.destroyForcibly();
        try {
            slirp.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
