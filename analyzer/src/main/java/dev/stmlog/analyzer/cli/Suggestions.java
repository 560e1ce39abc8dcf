package dev.stmlog.analyzer.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Did-you-mean: the candidates within a small edit distance of what was typed (insertions,
 * deletions, substitutions and swaps of neighbours each count 1), nearest first. Picocli's own
 * suggestions compare letter pairs, which misses swaps such as {@code tpo} for {@code top}.
 */
final class Suggestions {
    private Suggestions() {}

    static List<String> closest(String typed, Collection<String> candidates, Collection<String> more) {
        String t = typed.contains("=") ? typed.substring(0, typed.indexOf('=')) : typed;
        List<String> near = new ArrayList<>();
        for (String c : candidates) {
            int d = distance(t, c);
            int allowed = Math.max(1, Math.min(2, (c.replace("-", "").length() - 1) / 2));
            if (d <= allowed || (t.length() >= 3 && c.startsWith(t))) near.add(c);
        }
        near.sort(Comparator.comparingInt((String c) -> distance(t, c)).thenComparing(c -> c));
        Set<String> all = new LinkedHashSet<>(near);
        // picocli's letter-pair guesses only when nothing is near (with verbs such as 'report',
        // they would offer it for 'tpo')
        if (near.isEmpty()) all.addAll(more);
        return new ArrayList<>(all);
    }

    /** Optimal string alignment distance. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
