package dev.cove.bus.nats;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real nats-server on a free loopback port, with JetStream keeping its messages in a folder of its
 * own, that a test may stop and start again on the same port and folder, as an operator's restart would.
 */
public final class NatsServer implements AutoCloseable {
    private static final Duration READY_WITHIN = Duration.ofSeconds(20);

    private final int port;
    private final Path store;
    private final boolean jetStream;
    private final Path log;
    private Process process;

    private NatsServer(int port, Path store, boolean jetStream, Path log) {
        this.port = port;
        this.store = store;
        this.jetStream = jetStream;
        this.log = log;
    }

    /** Starts one with JetStream, its messages kept under {@code store}. */
    public static NatsServer start(Path store) throws IOException, InterruptedException {
        NatsServer server = new NatsServer(freePort(), store, true, Files.createTempFile("cove-nats", ".log"));
        server.start();
        return server;
    }

    /** Starts one without JetStream, which can't keep messages. */
    public static NatsServer withoutJetStream() throws IOException, InterruptedException {
        NatsServer server = new NatsServer(freePort(), null, false, Files.createTempFile("cove-nats", ".log"));
        server.start();
        return server;
    }

    public String url() {
        return "nats://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Starts it (again), on its port and folder, and waits until it serves. */
    public synchronized void start() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("nats-server", "-a", "127.0.0.1", "-p", Integer.toString(port)));
        if (jetStream) {
            command.addAll(List.of("-js", "-sd", store.toString()));
        }
        Files.writeString(log, "");
        process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (!Files.readString(log).contains("Server is ready")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                String output = Files.readString(log);
                stop();
                throw new IllegalStateException("nats-server did not start: " + output);
            }
            Thread.sleep(10); // nats-server says it is ready in its log only
        }
    }

    /** Stops it (SIGTERM) and waits until it is gone. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        Files.deleteIfExists(log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
