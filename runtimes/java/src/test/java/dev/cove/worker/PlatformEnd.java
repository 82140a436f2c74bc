package dev.cove.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The platform's end of a worker's socket, played by a test: starts the real worker jar as a child
 * process with an empty environment, listens on a Unix socket for it, reads its frames and sends it
 * frames. Frames are read on the test's own thread, so that a round trip is timed without a thread
 * hop; a watchdog closes the socket when a frame is awaited for longer than {@link #PATIENCE_SECONDS}.
 */
final class PlatformEnd implements AutoCloseable {
    /** Generous: the machine running the tests may be busy. */
    static final long PATIENCE_SECONDS = 60;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "platform-end-watchdog");
        t.setDaemon(true);
        return t;
    });

    final Process process;
    final Path output;
    final long startNanos;
    final long helloNanos;
    final Map<String, Object> hello;
    private final SocketChannel socket;
    private final InputStream in;

    private PlatformEnd(Process process, Path output, long startNanos, SocketChannel socket) throws IOException {
        this.process = process;
        this.output = output;
        this.startNanos = startNanos;
        this.socket = socket;
        this.in = new BufferedInputStream(Channels.newInputStream(socket), 1 << 16);
        this.hello = next();
        this.helloNanos = System.nanoTime();
    }

    /** Starts the worker jar, and waits for its hello. */
    static PlatformEnd startWorker(Path dir, String token) throws IOException {
        return start(dir, token, List.of("-cp", workerJar().toString(), "dev.cove.worker.Main"));
    }

    /**
     * Starts a Java program (its arguments to {@code java}, then {@code --socket PATH --token TOKEN}),
     * and waits for its hello.
     */
    static PlatformEnd start(Path dir, String token, List<String> program) throws IOException {
        Path socketPath = dir.resolve("w-" + token + ".sock");
        Files.deleteIfExists(socketPath);
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socketPath));
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElseThrow());
            command.addAll(program);
            command.addAll(List.of("--socket", socketPath.toString(), "--token", token));
            Path output = dir.resolve("w-" + token + ".out");
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            builder.environment().clear();
            long start = System.nanoTime();
            Process process = builder.start();
            ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> close(server), PATIENCE_SECONDS, TimeUnit.SECONDS);
            process.onExit().thenRun(() -> close(server)); // a program that ends without connecting fails at once
            try {
                return new PlatformEnd(process, output, start, server.accept());
            } catch (IOException | RuntimeException | Error e) {
                process.destroyForcibly();
                throw e;
            } finally {
                alarm.cancel(false);
            }
        }
    }

    static Path workerJar() {
        return Path.of(System.getProperty("cove.worker.jar", "target/cove-worker.jar"));
    }

    /** A frame built from keys and values, in their order. */
    static Map<String, Object> frame(Object... keysAndValues) {
        Map<String, Object> frame = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            frame.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return frame;
    }

    void send(Map<String, Object> frame) throws IOException {
        JsonWriter w = new JsonWriter(256);
        try {
            w.value(frame);
        } catch (NotJson e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        w.raw((byte) '\n');
        sendRaw(w.array(), w.size());
    }

    void sendRaw(byte[] bytes, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
        while (buffer.hasRemaining()) {
            socket.write(buffer);
        }
    }

    /** The next frame the worker sends. */
    Map<String, Object> next() throws IOException {
        ScheduledFuture<?> alarm = WATCHDOG.schedule(() -> close(socket), PATIENCE_SECONDS, TimeUnit.SECONDS);
        try {
            byte[] line = readLine();
            assertThat(line).as("a frame within %d s", PATIENCE_SECONDS).isNotNull();
            return Frames.object(JsonReader.parse(line, 0, line.length));
        } finally {
            alarm.cancel(false);
        }
    }

    /** The frames up to and including the first that matches, in the order they came. */
    List<Map<String, Object>> until(Predicate<Map<String, Object>> last) throws IOException {
        List<Map<String, Object>> frames = new ArrayList<>();
        Map<String, Object> frame;
        do {
            frame = next();
            frames.add(frame);
        } while (!last.test(frame));
        return frames;
    }

    /** The frames up to and including the one of that type and id. */
    List<Map<String, Object>> until(String type, String id) throws IOException {
        return until(f -> type.equals(f.get("type")) && id.equals(f.get("id")));
    }

    /** The next frame, which must be of that type. */
    Map<String, Object> expect(String type) throws IOException {
        Map<String, Object> frame = next();
        assertThat(frame).containsEntry("type", type);
        return frame;
    }

    /** The platform goes away: closes its end of the socket. */
    void hangUp() throws IOException {
        socket.close();
    }

    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                return null;
            }
            line.write(b);
        }
        return line.toByteArray();
    }

    String rawOutput() throws IOException {
        return Files.readString(output, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        process.destroyForcibly();
    }

    private static void close(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // the test waiting on it fails either way
        }
    }
}
