package dev.cove.core.model;

import java.nio.charset.StandardCharsets;

/**
 * The packages a function needs, as its runtime's package manager reads them: the text of a
 * {@code package.json} (node) or a {@code requirements.txt} (python). The platform installs them
 * when the function is deployed, into a folder its sandbox sees read-only.
 *
 * @param text the file's text; empty for a function that needs none
 */
public record Dependencies(String text) {
    /** A function that needs no packages. */
    public static final Dependencies NONE = new Dependencies("");

    /** The largest text taken: a list of packages, not the packages. */
    public static final int MAX_BYTES = 64 * 1024;

    public Dependencies {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            throw new IllegalArgumentException("the dependencies are " + bytes + " bytes, over the limit of "
                    + MAX_BYTES + " bytes");
        }
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the dependencies contain a NUL character");
        }
        if (text.isBlank()) {
            text = "";
        }
    }

    public boolean none() {
        return text.isEmpty();
    }

    /** The file its runtime's package manager reads the text from: {@code package.json}, {@code requirements.txt}. */
    public static String fileName(Kind kind) {
        return switch (kind) {
            case NODEJS -> "package.json";
            case PYTHON -> "requirements.txt";
            case JAVA, SEQUENCE -> throw new IllegalArgumentException(
                    "only nodejs and python functions have dependencies, not " + kind.kindName());
        };
    }
}
