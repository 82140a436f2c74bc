package dev.cove.worker;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The functions the platform lets this worker run itself (docs/worker-protocol.md, "peer and unpeer"):
 * offered by peer frames, forgotten by unpeer frames. A peer's class loads at its first call, in a
 * loader of its own; one that fails to load is forgotten, its calls go as call frames (where its own
 * instance reports the error), and it is not taken again at that version.
 */
final class Peers {
    private final Map<String, Peer> offered = new ConcurrentHashMap<>();
    private final Set<String> unfusable = ConcurrentHashMap.newKeySet();
    private volatile boolean warmed;

    /** A peer frame: replaces any offer of that name. */
    void offer(Map<String, Object> frame) {
        if (!(frame.get("name") instanceof String name)) {
            return;
        }
        Peer peer = Peer.of(name, frame);
        if (unfusable.contains(peer.key())) {
            return;
        }
        offered.put(name, peer);
        if (!warmed) {
            warmed = true;
            Thread.startVirtualThread(new FusedIds.Warm());
        }
    }

    /** An unpeer frame. */
    void forget(Object name) {
        if (name instanceof String s) {
            offered.remove(s);
        }
    }

    /** The offered peer of that name, loaded; empty when there is none or it fails to load. */
    Optional<Peer> loaded(String name) {
        Peer peer = name == null ? null : offered.get(name);
        if (peer == null) {
            return Optional.empty();
        }
        if (peer.function().isPresent()) {
            return Optional.of(peer);
        }
        unfusable.add(peer.key());
        offered.remove(name, peer);
        return Optional.empty();
    }

    /**
     * One offer of a function. Its default parameters are kept as JSON, so each call decodes a copy of
     * its own.
     */
    static final class Peer {
        final String name;
        final String version;
        final long timeoutMs;
        private final String entry;
        private final String main;
        private final long maxLogBytes;
        private final byte[] params;
        private boolean tried;
        private Function function;

        private Peer(String name, String version, String entry, String main, long timeoutMs, long maxLogBytes,
                byte[] params) {
            this.name = name;
            this.version = version;
            this.entry = entry;
            this.main = main;
            this.timeoutMs = timeoutMs;
            this.maxLogBytes = maxLogBytes;
            this.params = params;
        }

        static Peer of(String name, Map<String, Object> frame) {
            long timeoutMs = Frames.number(frame, "timeoutMs", 0);
            return new Peer(name, String.valueOf(Frames.text(frame, "version")), Frames.text(frame, "entry"),
                    String.valueOf(Frames.text(frame, "main")), timeoutMs > 0 ? timeoutMs : 60_000,
                    Frames.limit(frame, "maxLogBytes"),
                    Frames.json(Frames.object(frame.get("params"))).getBytes(StandardCharsets.UTF_8));
        }

        String key() {
            return name + "@" + version;
        }

        /** A fresh copy of its default parameters. */
        Map<String, Object> params() {
            return Frames.object(JsonReader.parse(params, 0, params.length));
        }

        /** Its function, loaded on the first call; empty once it failed to load. */
        synchronized Optional<Function> function() {
            if (!tried) {
                tried = true;
                try {
                    function = new Function(name, version, FunctionLoader.load(entry, main), maxLogBytes);
                } catch (LoadFailure e) {
                    function = null; // its own instance will say why, when the call goes as a call frame
                }
            }
            return Optional.ofNullable(function);
        }
    }
}
