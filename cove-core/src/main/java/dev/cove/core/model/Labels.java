package dev.cove.core.model;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Labels on functions, as Kubernetes has them: keys of up to 63 letters, digits, '-', '_' and '.'
 * (beginning and ending with a letter or digit), with an optional DNS prefix and '/'; values of up to
 * 63 such characters, or empty.
 */
public final class Labels {
    private static final Pattern NAME = Pattern.compile("([A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)");
    private static final Pattern KEY = Pattern.compile("([a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?/)?" + NAME.pattern());
    private static final Pattern VALUE = Pattern.compile("(" + NAME.pattern() + ")?");

    private Labels() {}

    /** The labels checked, in key order. */
    public static Map<String, String> checked(Map<String, String> labels) {
        Map<String, String> sorted = new TreeMap<>();
        labels.forEach((key, value) -> sorted.put(requireKey(key), requireValue(value)));
        return Map.copyOf(sorted);
    }

    static String requireKey(String key) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException(Messages.badLabelKey(key));
        }
        return key;
    }

    static String requireValue(String value) {
        if (value == null || !VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException(Messages.badLabelValue(value));
        }
        return value;
    }
}
