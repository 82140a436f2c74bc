package dev.cove.core.workflow;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;

/** Which name a misspelling meant: "did you mean ...?" for fields and state names. */
final class Spelling {
    private Spelling() {}

    /** {@code  (did you mean "X"?)} for the closest candidate, if one is close enough to be a typo of it. */
    static String suggestion(String name, Collection<String> candidates) {
        return candidates.stream().filter(candidate -> distance(name, candidate) <= Math.min(2, (name.length() - 1) / 2))
                .min(Comparator.comparingInt((String candidate) -> distance(name, candidate))
                        .thenComparing(Comparator.naturalOrder()))
                .map(candidate -> " (did you mean \"" + candidate + "\"?)").orElse("");
    }

    /** The edit distance, ignoring case, where swapping two neighbours is one edit (optimal string alignment). */
    static int distance(String a, String b) {
        String x = a.toLowerCase(Locale.ROOT);
        String y = b.toLowerCase(Locale.ROOT);
        int[][] d = new int[x.length() + 1][y.length() + 1];
        for (int i = 0; i <= x.length(); i++) {
            for (int j = 0; j <= y.length(); j++) {
                d[i][j] = i == 0 || j == 0 ? i + j : edit(d, x, y, i, j);
            }
        }
        return d[x.length()][y.length()];
    }

    private static int edit(int[][] d, String x, String y, int i, int j) {
        int best = Math.min(d[i - 1][j - 1] + (x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1),
                Math.min(d[i - 1][j], d[i][j - 1]) + 1);
        if (i > 1 && j > 1 && x.charAt(i - 1) == y.charAt(j - 2) && x.charAt(i - 2) == y.charAt(j - 1)) {
            best = Math.min(best, d[i - 2][j - 2] + 1);
        }
        return best;
    }
}
