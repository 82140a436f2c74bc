package dev.cove.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The runtimes a function can be written for, named as Apache OpenWhisk names its kinds. */
public enum Kind {
    NODEJS("nodejs", "nodejs:20", ".js"),
    PYTHON("python", "python:3", ".py"),
    JAVA("java", "java:21", ".java"),
    /** An OpenWhisk sequence: its code is the JSON list of its components' names. */
    SEQUENCE("sequence", "sequence", ".json");

    private final String family;
    private final String kindName;
    private final String sourceSuffix;

    Kind(String family, String kindName, String sourceSuffix) {
        this.family = family;
        this.kindName = kindName;
        this.sourceSuffix = sourceSuffix;
    }

    /** The language family: {@code nodejs}, {@code python}, {@code java}. */
    public String family() {
        return family;
    }

    /** The canonical kind, e.g. {@code nodejs:20}. */
    public String kindName() {
        return kindName;
    }

    /** The file name ending of a single-file source, e.g. {@code .js}. */
    public String sourceSuffix() {
        return sourceSuffix;
    }

    /** Accepts {@code nodejs:20}, {@code nodejs:default} and {@code nodejs} (likewise for the others). */
    public static Optional<Kind> parse(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values())
                .filter(k -> wanted.equals(k.kindName) || wanted.equals(k.family + ":default") || wanted.equals(k.family))
                .filter(k -> k != SEQUENCE || wanted.equals(k.kindName))
                .findFirst();
    }

    /** Every accepted spelling, for error messages. */
    public static List<String> spellings() {
        return Arrays.stream(values()).flatMap(k -> k == SEQUENCE ? List.of(k.kindName).stream()
                : List.of(k.kindName, k.family + ":default").stream()).toList();
    }

    /** Whether functions of this kind are code of their own (not a sequence of other functions). */
    public boolean runsCode() {
        return this != SEQUENCE;
    }
}
