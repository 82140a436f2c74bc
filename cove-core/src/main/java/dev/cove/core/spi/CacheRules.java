package dev.cove.core.spi;

import dev.cove.core.model.CacheSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What every {@link CacheBackend} checks before it touches its store, and the words of every refusal:
 * one place, so every backend refuses the same things with the same messages.
 */
public final class CacheRules {
    private final CacheSettings settings;

    public CacheRules(CacheSettings settings) {
        this.settings = settings;
    }

    public CacheSettings settings() {
        return settings;
    }

    /** The key's UTF-8 length, once it is known to be within the limit and valid Unicode. */
    public long checkKey(String key) {
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

    public void checkValue(byte[] value) {
        if (value.length > settings.maxValueBytes()) {
            throw new CacheRefusedException("The value is " + value.length + " bytes, over the cache's limit of "
                    + settings.maxValueBytes() + " bytes.");
        }
    }

    /** The TTL in milliseconds; refused out of 1 ms to the maximum. */
    public long ttlMillis(Duration asked) {
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
    public static long counter(byte[] value) {
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

    public static CacheRefusedException notAnInteger() {
        return new CacheRefusedException("The entry holds a value that is not an integer's decimal text, so it"
                + " cannot be incremented.");
    }

    public static CacheRefusedException overflow(String current, long delta) {
        return new CacheRefusedException("Incrementing " + current + " by " + delta
                + " would leave the range of a 64-bit integer.");
    }

    private static String time(Duration d) {
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
}
