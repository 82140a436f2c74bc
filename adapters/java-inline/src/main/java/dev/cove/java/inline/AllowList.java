package dev.cove.java.inline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The JDK classes and members inline code may use, read from {@code inline-allowed.txt} (its header
 * documents the format and the reasons). Names here are internal names: {@code java/util/Map$Entry}.
 */
final class AllowList {
    private static final String RESOURCE = "inline-allowed.txt";

    /** Whether a member may be used; an overload denial is reported with the member's parameters. */
    enum Access { ALLOWED, DENIED, DENIED_OVERLOAD }

    /** What the rules say of one class (or of every class, or of a package's). */
    private static final class Rule {
        boolean all;
        final Set<String> allowed = new HashSet<>();
        final Set<String> denied = new HashSet<>();
        /** Member name plus descriptor to bytes per unit; negative for a (from, to) range. */
        final Map<String, Integer> charges = new HashMap<>();
    }

    private final Map<String, Rule> classes = new HashMap<>();
    private final Map<String, Rule> packages = new HashMap<>();
    private final Rule everyClass = new Rule();

    private AllowList() {}

    /** The platform's list, read once. */
    static AllowList standard() {
        return Standard.LIST;
    }

    private static final class Standard {
        static final AllowList LIST = read();

        private static AllowList read() {
            try (InputStream in = AllowList.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("the resource " + RESOURCE + " is missing");
                }
                return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static AllowList parse(List<String> lines) {
        AllowList list = new AllowList();
        int number = 0;
        for (String line : lines) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            String[] words = text.split("\\s+");
            Rule rule = list.ruleFor(words[0]);
            for (int i = 1; i < words.length; i++) {
                add(rule, words[i], number);
            }
        }
        return list;
    }

    private Rule ruleFor(String name) {
        if (name.equals("*")) {
            return everyClass;
        }
        if (name.endsWith(".*")) {
            return packages.computeIfAbsent(name.substring(0, name.length() - 2).replace('.', '/'), n -> new Rule());
        }
        return classes.computeIfAbsent(name.replace('.', '/'), n -> new Rule());
    }

    private static void add(Rule rule, String word, int line) {
        if (word.equals("*")) {
            rule.all = true;
        } else if (word.startsWith("-")) {
            rule.denied.add(word.substring(1));
        } else if (word.contains("=")) {
            String member = word.substring(0, word.indexOf('='));
            String charge = word.substring(word.indexOf('=') + 1);
            if (!member.contains("(")) {
                throw new IllegalArgumentException(RESOURCE + " line " + line + ": a charge needs a descriptor: " + word);
            }
            boolean range = charge.startsWith("range:");
            int bytes = Integer.parseInt(range ? charge.substring("range:".length()) : charge);
            rule.allowed.add(member);
            rule.charges.put(member, range ? -bytes : bytes);
        } else {
            rule.allowed.add(word);
        }
    }

    /** Whether the type may be named: listed, or in a listed package; arrays by their element. */
    boolean allowsType(String internalName) {
        String name = elementOf(internalName);
        return name.isEmpty() || classes.containsKey(name) || packages.containsKey(packageOf(name));
    }

    /** Whether {@code owner.name} (a method with its descriptor, or a field) may be used. */
    Access member(String owner, String name, String descriptor) {
        String cls = owner.startsWith("[") ? "java/lang/Object" : owner; // an array's clone()
        String overload = name + descriptor;
        Rule own = classes.get(cls);
        Rule pkg = packages.get(packageOf(cls));
        if (everyClass.denied.contains(name) || denies(own, name) || denies(pkg, name)) {
            return Access.DENIED;
        }
        if (everyClass.denied.contains(overload) || denies(own, overload) || denies(pkg, overload)) {
            return Access.DENIED_OVERLOAD;
        }
        if (allows(own, name, overload) || allows(pkg, name, overload)) {
            return Access.ALLOWED;
        }
        return mentions(own, name + "(") || mentions(pkg, name + "(") ? Access.DENIED_OVERLOAD : Access.DENIED;
    }

    /**
     * What a call charges before it runs: bytes per unit of its int argument on top of the stack, or,
     * when {@code range} is set in the answer's sign (negative), per unit of {@code to - from} from the
     * two ints on top.
     */
    OptionalInt charge(String owner, String name, String descriptor) {
        for (Rule rule : new Rule[] {classes.get(owner), packages.get(packageOf(owner))}) {
            if (rule != null && rule.charges.containsKey(name + descriptor)) {
                return OptionalInt.of(rule.charges.get(name + descriptor));
            }
        }
        return OptionalInt.empty();
    }

    private static boolean denies(Rule rule, String key) {
        return rule != null && rule.denied.contains(key);
    }

    private static boolean allows(Rule rule, String name, String overload) {
        return rule != null && (rule.all || rule.allowed.contains(name) || rule.allowed.contains(overload));
    }

    private static boolean mentions(Rule rule, String prefix) {
        return rule != null && rule.allowed.stream().anyMatch(m -> m.startsWith(prefix));
    }

    /** The class an array type holds ({@code [[Ljava/lang/String;} gives java/lang/String), empty for primitives. */
    static String elementOf(String internalName) {
        if (!internalName.startsWith("[")) {
            return internalName;
        }
        String element = internalName.substring(internalName.lastIndexOf('[') + 1);
        return element.startsWith("L") ? element.substring(1, element.length() - 1) : "";
    }

    private static String packageOf(String internalName) {
        int slash = internalName.lastIndexOf('/');
        return slash < 0 ? "" : internalName.substring(0, slash);
    }
}
