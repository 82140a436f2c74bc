package dev.cove.core.model;

import java.util.Locale;

/** What a function's sandbox may reach over the network. */
public enum Network {
    /** Only the sandbox's own loopback. */
    NONE,
    /**
     * Addresses beyond this machine, through user-mode networking; never this machine's own
     * addresses or its loopback, so never the platform's API or any service bound on the host.
     */
    OUTBOUND;

    /** The name used in the API and the CLI. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code none} or {@code outbound}. */
    public static Network parse(String text) {
        for (Network n : values()) {
            if (n.wire().equals(text)) {
                return n;
            }
        }
        throw new IllegalArgumentException("network must be none or outbound, was " + text);
    }
}
