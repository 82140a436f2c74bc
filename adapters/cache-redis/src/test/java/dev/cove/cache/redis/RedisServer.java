package dev.cove.cache.redis;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real redis-server on a free loopback port, nothing saved to disk: the default user with a
 * password, an ACL user "cove" with every right, and "reader" who may only read.
 */
final class RedisServer implements AutoCloseable {
    final int port;
    final String password;
    private final Process process;
    private final Path log;

    private RedisServer(int port, String password, Process process, Path log) {
        this.port = port;
        this.password = password;
        this.process = process;
        this.log = log;
    }

    static RedisServer start(String password) throws IOException, InterruptedException {
        int port = freePort();
        Path log = Files.createTempFile("cove-redis", ".log");
        Process process = new ProcessBuilder(List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--requirepass", password,
                "--user", "reader", "on", ">reader-secret", "~*", "+@read",
                "--user", "cove", "on", ">cove-secret", "~*", "+@all"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        RedisServer server = new RedisServer(port, password, process, log);
        server.awaitReady(Duration.ofSeconds(10));
        return server;
    }

    RedisSettings settings() {
        return RedisSettings.of("127.0.0.1", port).withPassword(password);
    }

    private void awaitReady(Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!Files.readString(log).contains("Ready to accept connections")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = Files.readString(log);
                close();
                throw new IllegalStateException("redis-server did not start: " + output);
            }
            Thread.sleep(10);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }
}
