package dev.cove.core.cache;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Where a scope's entries live in Redis. A scope's tag spells its names as length-prefixed parts
 * (UTF-8 byte count in decimal, ':', the bytes), then 'a' for an application's shared scope or 'f'
 * and the function's part: a tag ends where its parts say, so no tag starts another and no choice of
 * names or key makes two scopes' keys equal. Every key of a scope starts with
 * {@code prefix + "{" + tag + "}"} (the braces make a Redis Cluster hash tag: one scope, one slot),
 * then one letter for what the key holds:
 * <pre>
 *   {prefix}{tag}k{key}   an entry's value (string, with PX expiry)
 *   {prefix}{tag}x        the scope's index: a sorted set of keys by expiry time (ms)
 *   {prefix}{tag}z        the scope's sizes: a hash of key to key+value bytes
 *   {prefix}{tag}s        the scope's counters: a hash of hits, misses, evictions, entries, bytes
 *   {prefix}n{namespace}  the namespace's scopes: a set of tags (namespace length-prefixed too)
 * </pre>
 */
record RedisKeys(byte[] tag, byte[] base, byte[] registry) {

    static RedisKeys of(String prefix, Scope scope) {
        byte[] tag = tag(scope);
        byte[] base = concat(utf8(prefix + "{"), tag, utf8("}"));
        return new RedisKeys(tag, base, registry(prefix, scope.namespace()));
    }

    static byte[] registry(String prefix, String namespace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(prefix + "n"));
        part(out, namespace);
        return out.toByteArray();
    }

    static byte[] tag(Scope scope) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        part(out, scope.namespace());
        part(out, scope.application());
        scope.function().ifPresentOrElse(function -> {
            out.write('f');
            part(out, function);
        }, () -> out.write('a'));
        return out.toByteArray();
    }

    /** The scope a tag spells; empty for bytes that are no tag. */
    static Optional<Scope> scope(byte[] tag) {
        try {
            Reader in = new Reader(tag);
            String namespace = in.part();
            String application = in.part();
            int kind = in.next();
            Optional<String> function = kind == 'f' ? Optional.of(in.part()) : Optional.empty();
            return (kind == 'f' || kind == 'a') && in.atEnd()
                    ? Optional.of(new Scope(namespace, application, function)) : Optional.empty();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    byte[] data(byte[] member) {
        return concat(base, new byte[] {'k'}, member);
    }

    byte[] index() {
        return concat(base, new byte[] {'x'});
    }

    byte[] sizes() {
        return concat(base, new byte[] {'z'});
    }

    byte[] stats() {
        return concat(base, new byte[] {'s'});
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void part(ByteArrayOutputStream out, String name) {
        byte[] bytes = utf8(name);
        out.writeBytes(utf8(bytes.length + ":"));
        out.writeBytes(bytes);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Reads a tag's parts back. */
    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes) {
            this.bytes = bytes;
        }

        int next() {
            return bytes[at++];
        }

        boolean atEnd() {
            return at == bytes.length;
        }

        String part() {
            int colon = at;
            while (bytes[colon] != ':') {
                colon++;
            }
            int length = Integer.parseInt(new String(bytes, at, colon - at, StandardCharsets.US_ASCII));
            if (length < 0 || colon + 1 + length > bytes.length) {
                throw new IllegalArgumentException("a part runs past the tag's end");
            }
            at = colon + 1 + length;
            return new String(bytes, colon + 1, length, StandardCharsets.UTF_8);
        }
    }
}
