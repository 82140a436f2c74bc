package dev.cove.worker;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The activation ids of fused calls (docs/worker-protocol.md, "fused"), which the platform computes
 * too: the caller's first 12 characters (the time, so that ids still sort by it) and the first 20 hex
 * digits of SHA-256 of {@code caller/n}.
 */
final class FusedIds {
    private FusedIds() {}

    static String of(String callerId, long n) {
        byte[] digest = sha256().digest((callerId + "/" + n).getBytes(StandardCharsets.UTF_8));
        String prefix = callerId.length() >= 12 ? callerId.substring(0, 12) : callerId;
        return prefix + HexFormat.of().formatHex(digest, 0, 10);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /**
     * Loads what computing an id needs (the security providers take milliseconds), once a worker is
     * offered peers, away from both the frame reader and the first fused call.
     */
    static final class Warm implements Runnable {
        @Override
        public void run() {
            of("warm", 1);
        }
    }
}
