package dev.cove.cache.redis;

import dev.cove.core.spi.CacheScope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Where a scope's entries live in Redis. A scope's tag spells its names as length-prefixed parts
 * (UTF-8 byte count in decimal, ':', the bytes), then 'a' for an application's shared scope or 'f'
 * and the function's part: a tag ends where its parts say, so no tag starts another and no choice of
 * names or key makes two scopes' keys equal. A scope's entries lie under
 * {@code prefix + "d{" + tag + "}"} and its bookkeeping under {@code prefix + "{" + tag + "}"} (the
 * braces make a Redis Cluster hash tag: one scope, one slot), so that the entries of every scope have a
 * prefix of their own, {@code prefix + "d{"}, for Redis's client tracking to report (see
 * {@link RedisWatch}) without the counters every get writes:
 * <pre>
 *   {prefix}d{tag}{key}   an entry's value (string, with PX expiry)
 *   {prefix}{tag}x        the scope's index: a sorted set of keys by expiry time (ms)
 *   {prefix}{tag}z        the scope's sizes: a hash of key to key+value bytes
 *   {prefix}{tag}s        the scope's counters: a hash of hits, misses, evictions, entries, bytes
 *   {prefix}n{namespace}  the namespace's scopes: a set of tags (namespace length-prefixed too)
 * </pre>
 */
record RedisKeys(byte[] tag, byte[] base, byte[] dataBase, byte[] registry) {

    /** An entry's scope and key. */
    record Place(CacheScope scope, String key) {}

    static RedisKeys of(String prefix, CacheScope scope) {
        byte[] tag = tag(scope);
        byte[] base = concat(utf8(prefix + "{"), tag, utf8("}"));
        byte[] dataBase = concat(dataPrefix(prefix), tag, utf8("}"));
        return new RedisKeys(tag, base, dataBase, registry(prefix, scope.namespace()));
    }

    /** What the data keys of every scope start with. */
    static byte[] dataPrefix(String prefix) {
        return utf8(prefix + "d{");
    }

    /** The entry a data key holds; empty for a key that is none of this prefix's entries. */
    static Optional<Place> place(String prefix, byte[] dataKey) {
        byte[] start = dataPrefix(prefix);
        if (dataKey.length < start.length || !Arrays.equals(dataKey, 0, start.length, start, 0, start.length)) {
            return Optional.empty();
        }
        try {
            Reader in = new Reader(dataKey, start.length);
            Optional<CacheScope> scope = in.scope();
            return scope.isPresent() && in.next() == '}' ? Optional.of(new Place(scope.get(), in.rest())) : Optional.empty();
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    static byte[] registry(String prefix, String namespace) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(utf8(prefix + "n"));
        part(out, namespace);
        return out.toByteArray();
    }

    static byte[] tag(CacheScope scope) {
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
    static Optional<CacheScope> scope(byte[] tag) {
        try {
            Reader in = new Reader(tag, 0);
            return in.scope().filter(scope -> in.atEnd());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    byte[] data(byte[] member) {
        return concat(dataBase, member);
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

    /** Reads a tag's parts back, from where a key holds it. */
    private static final class Reader {
        private final byte[] bytes;
        private int at;

        Reader(byte[] bytes, int at) {
            this.bytes = bytes;
            this.at = at;
        }

        Optional<CacheScope> scope() {
            String namespace = part();
            String application = part();
            return switch (next()) {
                case 'f' -> Optional.of(CacheScope.function(namespace, application, part()));
                case 'a' -> Optional.of(CacheScope.application(namespace, application));
                default -> Optional.empty();
            };
        }

        int next() {
            return bytes[at++];
        }

        boolean atEnd() {
            return at == bytes.length;
        }

        String rest() {
            return new String(bytes, at, bytes.length - at, StandardCharsets.UTF_8);
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
