package dev.cove.core.cache;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * What every backend checks before it touches its store, and the words of every refusal: one place,
 * so both backends refuse the same things with the same messages.
 */
final class Rules {
    private final CacheSettings settings;

    Rules(CacheSettings settings) {
        this.settings = settings;
    }

    CacheSettings settings() {
        return settings;
    }

    /** The key's UTF-8 length, once it is known to be within the limit and valid Unicode. */
    long checkKey(String key) {
        int surrogate = Utf8.loneSurrogate(key);
        if (surrogate >= 0) {
            throw new CacheRefusedException("The key is not valid Unicode: it has a lone surrogate at index "
                    + surrogate + ".");
        }
        long bytes = Utf8.length(key);
        if (bytes > settings.maxKeyBytes()) {
            throw new CacheRefusedException("The key is " + bytes + " bytes in UTF-8, over the cache's limit of "
                    + settings.maxKeyBytes() + " bytes.");
        }
        return bytes;
    }

    void checkValue(byte[] value) {
        if (value.length > settings.maxValueBytes()) {
            throw new CacheRefusedException("The value is " + value.length + " bytes, over the cache's limit of "
                    + settings.maxValueBytes() + " bytes.");
        }
    }

    /** The TTL to use in milliseconds: the one asked for, or the default; refused out of 1 ms to the maximum. */
    long ttlMillis(Optional<Duration> ttl) {
        Duration asked = ttl.orElse(settings.defaultTtl());
        if (asked.compareTo(settings.maxTtl()) > 0) {
            throw new CacheRefusedException("The TTL is " + time(asked) + ", over the cache's maximum of "
                    + time(settings.maxTtl()) + ".");
        }
        if (asked.toMillis() < 1) {
            throw new CacheRefusedException("The TTL is " + time(asked) + "; it must be at least 1 ms.");
        }
        return asked.toMillis();
    }

    /** The integer an entry holds: the decimal text Redis's INCRBY accepts (no sign but '-', no leading zero). */
    static long counter(byte[] value) {
        String text = new String(value, StandardCharsets.ISO_8859_1);
        try {
            long parsed = Long.parseLong(text);
            if (Long.toString(parsed).equals(text)) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw notAnInteger();
    }

    static CacheRefusedException notAnInteger() {
        return new CacheRefusedException("The entry holds a value that is not an integer's decimal text, so it"
                + " cannot be incremented.");
    }

    static CacheRefusedException overflow(String current, long delta) {
        return new CacheRefusedException("Incrementing " + current + " by " + delta
                + " would leave the range of a 64-bit integer.");
    }

    static String time(Duration d) {
        long ms = d.toMillis();
        if (ms >= 3_600_000 && ms % 3_600_000 == 0) {
            return ms / 3_600_000 + " h";
        } else if (ms >= 60_000 && ms % 60_000 == 0) {
            return ms / 60_000 + " min";
        } else if (ms >= 1000 && ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        return ms + " ms";
    }

    static String size(long bytes) {
        long mb = 1024 * 1024;
        if (bytes >= mb && bytes % mb == 0) {
            return bytes / mb + " MB";
        } else if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KB";
        }
        return bytes + " bytes";
    }
}
