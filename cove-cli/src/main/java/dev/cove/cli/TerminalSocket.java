package dev.cove.cli;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLSocketFactory;

/**
 * The client end of a WebSocket (RFC 6455) to the REST API, as much of it as a terminal needs: the
 * upgrade, binary and text messages, ping, close. Written on a plain socket because
 * {@code java.net.http}'s WebSocket took about 300 ms to start (see {@link CoveClient}), more than a
 * whole debug session's start is allowed.
 */
final class TerminalSocket implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 5000;
    private static final int TEXT = 1;
    private static final int BINARY = 2;
    private static final int CLOSE = 8;
    private static final int PING = 9;
    private static final int PONG = 10;
    /** Larger messages than a terminal ever sends are refused, not read into memory. */
    private static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    /** A whole message: text or binary. */
    record Message(boolean text, byte[] payload) {
        String asText() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final SecureRandom random = new SecureRandom();

    private TerminalSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Opens a WebSocket on {@code path} of the target's API; a refusal (401, 403, 404 …) is a
     * {@link CliException} with the server's own message.
     */
    static TerminalSocket open(Target target, String path) {
        URI uri = URI.create(target.apiHost() + path);
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80;
        try {
            Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(uri.getHost(), port), CONNECT_TIMEOUT_MS);
            TerminalSocket ws = new TerminalSocket(socket);
            ws.upgrade(uri, target.auth());
            return ws;
        } catch (IOException e) {
            throw new CliException(CoveClient.connectionFailure(target.apiHost(), e));
        }
    }

    private void upgrade(URI uri, Optional<String> auth) throws IOException {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        StringBuilder request = new StringBuilder("GET " + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()) + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + (uri.getPort() > 0 ? ":" + uri.getPort() : "") + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n");
        auth.ifPresent(a -> request.append("Authorization: Basic ")
                .append(Base64.getEncoder().encodeToString(a.getBytes(StandardCharsets.UTF_8))).append("\r\n"));
        out.write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
        String status = line();
        int length = 0;
        for (String header = line(); !header.isEmpty(); header = line()) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).trim());
            }
        }
        if (!status.startsWith("HTTP/1.1 101")) {
            byte[] body = in.readNBytes(Math.min(length, 65536));
            String error = Json.parse(new String(body, StandardCharsets.UTF_8)).map(j -> Json.text(j, "error"))
                    .filter(e -> !e.isEmpty()).orElse(status);
            socket.close();
            throw new CliException(error);
        }
    }

    /** One line of the upgrade's answer, without its CRLF. */
    private String line() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("the server closed the connection before it upgraded it");
            }
            if (b != '\r') {
                bytes.write(b);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    void sendBinary(byte[] data, int length) throws IOException {
        send(BINARY, data, length);
    }

    void sendText(String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        send(TEXT, bytes, bytes.length);
    }

    /** A client's frame: final, masked, as RFC 6455 has it. */
    private synchronized void send(int opcode, byte[] data, int length) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(length + 14);
        frame.write(0x80 | opcode);
        if (length < 126) {
            frame.write(0x80 | length);
        } else if (length < 65536) {
            frame.write(0x80 | 126);
            frame.write(length >>> 8);
            frame.write(length & 0xff);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        random.nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < length; i++) {
            frame.write(data[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** The next whole message; empty once the server closed the WebSocket or the connection. */
    Optional<Message> receive() throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream();
        int kind = -1;
        while (true) {
            int first;
            try {
                first = in.readUnsignedByte();
            } catch (EOFException e) {
                return Optional.empty();
            }
            int opcode = first & 0x0f;
            byte[] payload = payload();
            switch (opcode) {
                case CLOSE -> {
                    return Optional.empty();
                }
                case PING -> send(PONG, payload, payload.length);
                case PONG -> { }
                default -> {
                    kind = opcode == 0 ? kind : opcode;
                    if (message.size() + payload.length > MAX_MESSAGE_BYTES) {
                        throw new IOException("the server sent a message over " + MAX_MESSAGE_BYTES + " bytes");
                    }
                    message.write(payload);
                    if ((first & 0x80) != 0) {
                        return Optional.of(new Message(kind == TEXT, message.toByteArray()));
                    }
                }
            }
        }
    }

    private byte[] payload() throws IOException {
        int second = in.readUnsignedByte();
        long length = second & 0x7f;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        if (length < 0 || length > MAX_MESSAGE_BYTES) {
            throw new IOException("the server sent a frame of " + length + " bytes");
        }
        byte[] mask = (second & 0x80) != 0 ? in.readNBytes(4) : null;
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new EOFException("the connection ended inside a frame");
        }
        if (mask != null) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        return payload;
    }

    @Override
    public void close() {
        try {
            send(CLOSE, new byte[0], 0);
        } catch (IOException e) {
            // the connection is gone already
        }
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
