package dev.cove.core.invoke;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One activation's log lines, stamped as they arrive, capped in bytes: past the cap one last line says
 * so, and the rest is dropped. Lines arrive from event loops and pipe readers, hence the lock.
 */
final class LogBuffer {
    private final long maxBytes;
    private final Clock clock;
    private final List<String> lines = new ArrayList<>();
    private long bytes;
    private boolean truncated;

    LogBuffer(long maxBytes, Clock clock) {
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    synchronized void add(String stream, String text) {
        if (truncated) {
            return;
        }
        long size = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes + size > maxBytes) {
            truncated = true;
            lines.add(format(clock.instant().toString(), "stderr",
                    "Logs were truncated because they exceeded the limit of " + maxBytes + " bytes."));
            return;
        }
        bytes += size;
        lines.add(format(clock.instant().toString(), stream, text));
    }

    /** Lines logged elsewhere first (while the code loaded), already formatted. */
    synchronized void prepend(List<String> earlier) {
        lines.addAll(0, earlier);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    static String format(String isoTime, String stream, String text) {
        return isoTime + " " + stream + ": " + text;
    }
}
