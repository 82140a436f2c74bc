package dev.cove.core.spi;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link WorkerTransport} does, driven by a client on a real Unix socket: the worker that
 * says hello with its token exchanges frames with the core; a wrong token, a first frame that is no
 * hello, a silent client and a second connection are closed without the core hearing of them; the
 * close of a connection, from either side, is reported.
 */
public abstract class WorkerTransportContract {
    static final Duration HELLO_TIMEOUT = Duration.ofMillis(300);
    static final long WAIT_S = 10;
    static final int MAX_FRAME_BYTES = 1024;
    static final String TOKEN = "6f1c2a3b-token";
    static final String HELLO = "{\"type\":\"hello\",\"token\":\"" + TOKEN + "\",\"pid\":42}";

    /** A transport whose connections must say hello within {@code helloTimeout}. */
    protected abstract WorkerTransport transport(Duration helloTimeout);

    @TempDir
    Path dir;
    WorkerTransport transport;
    Path socket;
    Recorder worker;
    WorkerTransport.Listening listening;

    @BeforeEach
    void listen() throws IOException {
        transport = transport(HELLO_TIMEOUT);
        socket = dir.resolve("w-" + TOKEN + ".sock");
        worker = new Recorder();
        listening = transport.listen(socket, TOKEN, MAX_FRAME_BYTES, worker);
    }

    @AfterEach
    void close() {
        transport.close();
    }

    @Test
    void theWorkerThatSaysHelloWithItsTokenExchangesFramesWithTheCore() throws Exception {
        try (Client client = Client.connect(socket)) {
            client.write(HELLO + "\n{\"type\":\"log\",");
            assertThat(worker.next()).isEqualTo("connected " + HELLO);
            client.write("\"line\":\"a\"}\n\n{\"type\":\"done\"}\n{\"type\":\"ready\"}\n");
            assertThat(worker.next()).as("a frame cut in two writes").isEqualTo("frame {\"type\":\"log\",\"line\":\"a\"}");
            assertThat(worker.next()).as("the empty line skipped").isEqualTo("frame {\"type\":\"done\"}");
            assertThat(worker.next()).isEqualTo("frame {\"type\":\"ready\"}");

            worker.connection().send(bytes("{\"type\":\"run\","), bytes("\"id\":\"a1\"}"), bytes("\n"));
            worker.connection().send(bytes("{\"type\":\"init\"}\n"));
            assertThat(client.readLine()).isEqualTo("{\"type\":\"run\",\"id\":\"a1\"}");
            assertThat(client.readLine()).isEqualTo("{\"type\":\"init\"}");
        }
    }

    @Test
    void aConnectionWithAnotherTokenIsClosedUnheardAndTheWorkerMayStillConnect() throws Exception {
        try (Client stranger = Client.connect(socket)) {
            stranger.write(HELLO.replace(TOKEN, "another-token") + "\n");
            assertThat(stranger.closedByPeer()).isTrue();
        }
        try (Client client = Client.connect(socket)) {
            client.write(HELLO + "\n");
            assertThat(worker.next()).isEqualTo("connected " + HELLO);
        }
    }

    @Test
    void aConnectionWhoseFirstFrameIsNoHelloIsClosedUnheard() throws Exception {
        try (Client client = Client.connect(socket)) {
            client.write("{\"type\":\"log\",\"token\":\"" + TOKEN + "\"}\n");
            assertThat(client.closedByPeer()).isTrue();
        }
        try (Client client = Client.connect(socket)) {
            client.write("not json\n");
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(worker.events).isEmpty();
    }

    @Test
    void aSilentConnectionIsClosedAfterTheHelloTimeout() throws Exception {
        try (Client client = Client.connect(socket)) {
            long start = System.nanoTime();
            assertThat(client.closedByPeer()).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(HELLO_TIMEOUT.dividedBy(2));
        }
        assertThat(worker.events).isEmpty();
    }

    @Test
    void aSecondConnectionIsClosedOnceTheWorkerHasConnected() throws Exception {
        try (Client client = Client.connect(socket)) {
            client.write(HELLO + "\n");
            assertThat(worker.next()).isEqualTo("connected " + HELLO);
            try (Client second = Client.connect(socket)) {
                assertThat(second.closedByPeer()).as("at once, before any hello").isTrue();
            }
            client.write("{\"type\":\"done\"}\n");
            assertThat(worker.next()).as("the first one is still heard").isEqualTo("frame {\"type\":\"done\"}");
        }
        assertThat(worker.next()).isEqualTo("closed");
    }

    @Test
    void theWorkersCloseIsReported() throws Exception {
        try (Client client = Client.connect(socket)) {
            client.write(HELLO + "\n");
            assertThat(worker.next()).startsWith("connected");
        }
        assertThat(worker.next()).isEqualTo("closed");
    }

    @Test
    void theCoresCloseIsReportedAndEndsTheConnection() throws Exception {
        try (Client client = Client.connect(socket)) {
            client.write(HELLO + "\n");
            assertThat(worker.next()).startsWith("connected");
            worker.connection().close();
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(worker.next()).isEqualTo("closed");
    }

    @Test
    void closingTheSocketEndsItsConnectionAndRemovesItsFile() throws Exception {
        try (Client client = Client.connect(socket)) {
            client.write(HELLO + "\n");
            assertThat(worker.next()).startsWith("connected");
            listening.close();
            assertThat(client.closedByPeer()).isTrue();
        }
        assertThat(worker.next()).isEqualTo("closed");
        assertThat(socket).doesNotExist();
    }

    @Test
    void aFrameThatGrowsPastTheLimitIsReported() throws Exception {
        try (Client client = Client.connect(socket)) {
            client.write(HELLO + "\n");
            assertThat(worker.next()).startsWith("connected");
            client.write("{\"type\":\"log\",\"line\":\"" + "x".repeat(MAX_FRAME_BYTES));
            assertThat(worker.next()).isEqualTo("oversized");
        }
    }

    @Test
    void aSocketFileLeftBehindIsReplaced() throws Exception {
        Path stale = dir.resolve("w-stale.sock");
        Files.writeString(stale, "left by a crash");
        Recorder other = new Recorder();
        transport.listen(stale, "stale", MAX_FRAME_BYTES, other);
        try (Client client = Client.connect(stale)) {
            client.write("{\"type\":\"hello\",\"token\":\"stale\"}\n");
            assertThat(other.next()).startsWith("connected");
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The core's side: what it hears, one line each. */
    static final class Recorder implements WorkerTransport.Worker {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final CompletableFuture<WorkerTransport.Connection> connection = new CompletableFuture<>();

        @Override
        public void connected(WorkerTransport.Connection connection, byte[] hello) {
            this.connection.complete(connection);
            events.add("connected " + new String(hello, StandardCharsets.UTF_8));
        }

        @Override
        public void received(byte[] frame) {
            events.add("frame " + new String(frame, StandardCharsets.UTF_8));
        }

        @Override
        public void oversized() {
            events.add("oversized");
        }

        @Override
        public void closed() {
            events.add("closed");
        }

        String next() throws InterruptedException {
            String event = events.poll(WAIT_S, TimeUnit.SECONDS);
            assertThat(event).as("an event within %d s", WAIT_S).isNotNull();
            return event;
        }

        WorkerTransport.Connection connection() throws Exception {
            return connection.get(WAIT_S, TimeUnit.SECONDS);
        }
    }

    /** A worker's side of a socket, or a stranger's. */
    static final class Client implements AutoCloseable {
        private final SocketChannel channel;
        private final List<Byte> pending = new ArrayList<>();

        private Client(SocketChannel channel) {
            this.channel = channel;
        }

        static Client connect(Path socket) throws IOException {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            return new Client(channel);
        }

        void write(String text) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(bytes(text));
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }

        String readLine() throws Exception {
            return CompletableFuture.supplyAsync(this::readLineBlocking).get(WAIT_S, TimeUnit.SECONDS);
        }

        /** Whether the other side closes the connection within the wait, whatever it sends first. */
        boolean closedByPeer() throws Exception {
            return CompletableFuture.supplyAsync(this::readToEnd).completeOnTimeout(false, WAIT_S, TimeUnit.SECONDS)
                    .get();
        }

        private String readLineBlocking() {
            ByteBuffer one = ByteBuffer.allocate(1);
            try {
                while (true) {
                    one.clear();
                    if (channel.read(one) < 0) {
                        throw new IOException("closed before a whole line");
                    }
                    if (one.get(0) == '\n') {
                        byte[] line = new byte[pending.size()];
                        for (int i = 0; i < line.length; i++) {
                            line[i] = pending.get(i);
                        }
                        pending.clear();
                        return new String(line, StandardCharsets.UTF_8);
                    }
                    pending.add(one.get(0));
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        private boolean readToEnd() {
            ByteBuffer in = ByteBuffer.allocate(4096);
            try {
                while (channel.read(in.clear()) >= 0) {
                    // what it sends before closing is not asked about
                }
                return true;
            } catch (IOException e) {
                return true; // reset by the peer
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
