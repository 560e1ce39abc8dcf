package dev.stmlog.analyzer.pypy.script;

import java.util.Comparator;

/**
 * One entry of the original script's conflict table, as the pass left it.
 *
 * @param code       event code of the key (C8: final numbering)
 * @param eventName  the constant name the script prints for it
 * @param marker1    the marker bytes of the key (C8: the only marker)
 * @param marker2    C7's second marker; empty for C8
 * @param aborted    "lost in aborts" seconds
 * @param paused     "paused" seconds
 * @param count      occurrences charged
 * @param timestamps the occurrences' times, in charge order (do not modify)
 * @param creation   order of first creation, for ties
 */
public record PypyConflict(int code, String eventName, byte[] marker1, byte[] marker2, double aborted,
                           double paused, long count, double[] timestamps, int creation) {

    /** The script's sort key. */
    public double sortKey() {
        return aborted + paused;
    }

    /**
     * Descending key; among equal keys the later-created first (what PyPy's insertion-ordered
     * dicts give after the script's sort-then-reverse; CPython's order cannot be reproduced).
     */
    public static final Comparator<PypyConflict> RANKING = new Ranking();

    /** A class, not a lambda: the first lambda of a JVM costs milliseconds of bootstrap. */
    private static final class Ranking implements Comparator<PypyConflict> {
        @Override
        public int compare(PypyConflict a, PypyConflict b) {
            int c = Double.compare(b.sortKey(), a.sortKey());
            return c != 0 ? c : Integer.compare(b.creation, a.creation);
        }
    }
}
