package dev.cove.worker;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;

/**
 * Cove's worker for Java functions (docs/worker-protocol.md):
 * {@code java -cp cove-worker.jar dev.cove.worker.Main --socket PATH --token TOKEN}. It connects to the
 * platform's Unix socket while it warms up, says hello, and then serves frames until the socket
 * closes, when it halts with status 0.
 */
public final class Main {
    private static final String USAGE = "usage: java -jar cove-worker.jar --socket PATH --token TOKEN";

    private Main() {}

    public static void main(String[] args) throws IOException, InterruptedException {
        String socketPath = null;
        String token = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if ("--socket".equals(args[i])) {
                socketPath = args[i + 1];
            } else if ("--token".equals(args[i])) {
                token = args[i + 1];
            }
        }
        if (socketPath == null || token == null) {
            System.err.println(USAGE);
            System.exit(2);
        }
        Output.install();
        Connector connector = new Connector(socketPath);
        connector.start();
        Warmup.run();
        SocketChannel socket = connector.connected();
        Channel channel = Channel.over(socket);
        Worker worker = new Worker(channel);
        Output.route(worker.nobody());
        Frames.hello(channel, token, System.getProperty("java.version"), connector.pid);
        new FrameReader(socket, worker).read();
    }

    /**
     * Connects on a thread of its own, meanwhile: the JDK's first Unix socket seeds a SecureRandom, and
     * the first ProcessHandle starts a thread pool, each some milliseconds.
     */
    private static final class Connector extends Thread {
        private final String path;
        private SocketChannel socket;
        private IOException failure;
        private long pid;

        Connector(String path) {
            super("cove-connect");
            this.path = path;
        }

        @Override
        public void run() {
            try {
                socket = SocketChannel.open(StandardProtocolFamily.UNIX);
                socket.connect(UnixDomainSocketAddress.of(path));
            } catch (IOException e) {
                failure = e;
            }
            pid = ProcessHandle.current().pid();
        }

        SocketChannel connected() throws IOException, InterruptedException {
            join();
            if (failure != null) {
                throw failure;
            }
            return socket;
        }
    }
}
