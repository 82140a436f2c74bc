package dev.cove.core.runtime;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The file name a name gets on disk, for the one place each: a namespace's and a function's folders
 * under {@code code/} ({@link CodeDirs}), a version's folder in a sandbox ({@code NAME@VERSION}).
 *
 * <p>A name is up to 256 characters ({@code FunctionSpec}), a file name at most 255 bytes
 * ({@code NAME_MAX}). A name that fits is its own file name, as it always was, so data folders written
 * before keep working; a longer one becomes its first {@value #PREFIX_CHARS} characters, {@code ~} and
 * 16 hex digits of its SHA-256. No name holds {@code ~}, so such a file name is never another name's
 * own, and two names that share the prefix differ in their hash. These file names are kept on disk:
 * the mapping must never change.
 */
final class FileNames {
    static final int MAX_BYTES = 255;
    private static final int HASH_CHARS = 16;
    static final int PREFIX_CHARS = MAX_BYTES - 1 - HASH_CHARS;

    private FileNames() {}

    /** The file name of a valid name (letters, digits, {@code _ . @ -}, so one byte a character). */
    static String of(String name) {
        if (name.length() <= MAX_BYTES) {
            return name;
        }
        byte[] hash = sha256(name.getBytes(StandardCharsets.US_ASCII));
        return name.substring(0, PREFIX_CHARS) + "~" + HexFormat.of().formatHex(hash, 0, HASH_CHARS / 2);
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
