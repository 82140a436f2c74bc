package dev.cove.core.model;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A function's code as deployed: source text, or an archive (a zip for node and python, a jar for java).
 *
 * @param bytes the source's UTF-8 bytes or the archive's bytes
 * @param binary whether {@code bytes} is an archive
 */
public record Code(byte[] bytes, boolean binary) {

    public Code {
        bytes = bytes.clone();
    }

    public static Code source(String text) {
        return new Code(text.getBytes(StandardCharsets.UTF_8), false);
    }

    public static Code archive(byte[] bytes) {
        return new Code(bytes, true);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public int size() {
        return bytes.length;
    }

    /** The source text; meaningful only when not {@link #binary()}. */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Code c && c.binary == binary && Arrays.equals(c.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bytes) + Boolean.hashCode(binary);
    }

    @Override
    public String toString() {
        return "Code[" + bytes.length + " bytes" + (binary ? ", archive]" : ", source]");
    }
}
