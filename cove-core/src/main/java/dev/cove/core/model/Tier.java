package dev.cove.core.model;

import java.util.Locale;

/**
 * Where a Java function's code runs, as its deployment asks: {@link #INLINE} inside the platform's
 * JVM, metered, which only code that passes the platform's check may; {@link #PROCESS} in a JVM worker
 * of its own inside the application's sandbox; {@link #AUTO} inline when the code passes, else process.
 */
public enum Tier {
    AUTO,
    INLINE,
    PROCESS;

    /** The name used in the API, the CLI and manifests. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code auto}, {@code inline} or {@code process}. */
    public static Tier parse(String text) {
        for (Tier t : values()) {
            if (t.wire().equals(text)) {
                return t;
            }
        }
        throw new IllegalArgumentException("tier must be auto, inline or process, was '" + text + "'");
    }
}
