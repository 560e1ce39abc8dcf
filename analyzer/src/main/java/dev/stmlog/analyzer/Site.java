package dev.stmlog.analyzer;

import dev.stmlog.format.event.Frame;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * One row's figures: times charged, count, the distinct other sides, and a histogram of when
 * its conflicts happened. The histogram has {@link #BUCKETS} buckets of {@code 2^shift} ns from
 * the recording's start; when a time falls past the last bucket, pairs of buckets merge and the
 * width doubles. Memory per site is therefore fixed, whatever the file's size.
 */
final class Site {
    static final int BUCKETS = 480;
    /** Distinct other sides remembered per site; more are counted but not told apart. */
    static final int MAX_OTHERS = 64;

    final SiteKey key;
    long lost;
    long paused;
    long count;
    private int[] buckets;
    private int shift;
    private Map<List<Frame>, long[]> others;
    private int otherVariants;

    // What the hints need (see Hints): the contended objects of the row's conflicts.
    /** Distinct objects kept apart per site; past that, the site has "many". */
    static final int MAX_REFS = 16;
    /** The ids (in this row's log) of the objects its conflicts were on; null: none yet. Per log only. */
    private Set<Long> refs;
    /** Some conflict had no object id, or there were more than {@link #MAX_REFS}. */
    private boolean refsUnknown;
    /** The labels of those objects; null: none yet. */
    private Set<String> labels;
    /** Some conflict's object had no label, or there were more than {@link #MAX_REFS}. */
    private boolean labelsUnknown;
    /**
     * The line both sides read and write the objects at, as the log's end worked it out
     * ({@link FileAggregator#finish}); null: not worked out; {@link #NO_LINE}: none.
     */
    private Frame updateLine;
    static final Frame NO_LINE = new Frame("", "", null, -1);
    /** The two sides' transactions, as far as the log showed them ({@link HintEvidence}); null: nothing yet. */
    private HintEvidence evidence;

    Site(SiteKey key) {
        this.key = key;
    }

    /** Counts one occurrence at {@code time} (ns from the recording's start) in the time line. */
    void mark(long time) {
        if (time < 0) time = 0;
        if (buckets == null) buckets = new int[BUCKETS];
        long b = time >>> shift;
        while (b >= BUCKETS) {
            widen();
            b = time >>> shift;
        }
        buckets[(int) b]++;
    }

    /**
     * Counts {@code n} conflicts whose other side is {@code frames}; returns the count it is kept
     * in, which a caller may add to directly, or null when that side is not kept apart (past
     * {@link #MAX_OTHERS}).
     */
    long[] other(List<Frame> frames, long n) {
        if (others == null) others = new HashMap<>();
        long[] c = others.get(frames);
        if (c == null) {
            otherVariants++;
            if (others.size() >= MAX_OTHERS) return null;
            others.put(frames, c = new long[1]);
        }
        c[0] += n;
        return c;
    }

    /** The other side seen most often (ties: the first in frame order), or an empty list. */
    List<Frame> topOther() {
        List<Frame> best = ConflictJoin.mostCommon(others);
        return best == null ? List.of() : best;
    }

    int otherVariants() {
        return otherVariants;
    }

    /** A conflict on object {@code ref} (0: unknown) labelled {@code label} (null: none) is charged here. */
    void onObject(long ref, String label) {
        if (ref == 0) {
            refsUnknown = true;
        } else if (!refsUnknown) {
            if (refs == null) refs = new HashSet<>(4);
            if (refs.add(ref) && refs.size() > MAX_REFS) refsUnknown = true;
        }
        if (label == null) {
            labelsUnknown = true;
        } else if (!labelsUnknown) {
            if (labels == null) labels = new HashSet<>(4);
            if (labels.add(label) && labels.size() > MAX_REFS) labelsUnknown = true;
        }
    }

    /** The objects of this row's conflicts, by id in its log; null when some had none or there were too many. */
    Set<Long> refs() {
        return refsUnknown || refs == null ? null : refs;
    }

    /** The labels of this row's objects; null when some had none or there were too many. */
    Set<String> labels() {
        return labelsUnknown || labels == null ? null : labels;
    }

    /** The update line worked out at the end of its log: null when none. */
    Frame updateLine() {
        return updateLine == NO_LINE ? null : updateLine;
    }

    void updateLine(Frame line) {
        updateLine = line == null ? NO_LINE : line;
    }

    /** The row's evidence on its sides' transactions, made when first asked for. */
    HintEvidence evidence() {
        if (evidence == null) evidence = new HintEvidence();
        return evidence;
    }

    /** The row's evidence, or null when it has none. */
    HintEvidence evidenceOrNull() {
        return evidence;
    }

    /** Whether every other side of the row (all kept apart) satisfies {@code test}; false with none. */
    boolean everyOther(Predicate<List<Frame>> test) {
        if (others == null || others.isEmpty() || otherVariants > others.size()) return false;
        for (List<Frame> o : others.keySet()) if (!test.test(o)) return false;
        return true;
    }

    void merge(Site o) {
        lost += o.lost;
        paused += o.paused;
        count += o.count;
        if (o.buckets != null) {
            if (buckets == null) buckets = new int[BUCKETS];
            while (shift < o.shift) widen();
            int[] ob = o.buckets.clone();
            int os = o.shift;
            while (os < shift) {
                widen(ob);
                os++;
            }
            for (int i = 0; i < BUCKETS; i++) buckets[i] += ob[i];
        }
        if (o.others != null) {
            for (Map.Entry<List<Frame>, long[]> e : o.others.entrySet()) other(e.getKey(), e.getValue()[0]);
            otherVariants += o.otherVariants - o.others.size(); // those it could not keep apart
        }
        refsUnknown |= o.refsUnknown;
        if (o.refs != null && !refsUnknown) {
            if (refs == null) refs = new HashSet<>(4);
            refs.addAll(o.refs);
            if (refs.size() > MAX_REFS) refsUnknown = true;
        }
        labelsUnknown |= o.labelsUnknown;
        if (o.labels != null && !labelsUnknown) {
            if (labels == null) labels = new HashSet<>(4);
            labels.addAll(o.labels);
            if (labels.size() > MAX_REFS) labelsUnknown = true;
        }
        if (o.evidence != null) evidence().merge(o.evidence);
        // worked out per log: the same line in both, else none
        if (updateLine == null) updateLine = o.updateLine;
        else if (o.updateLine != null && !updateLine.equals(o.updateLine)) updateLine = NO_LINE;
    }

    /**
     * The time line over {@code [from, to)} in {@code columns} columns. Each bucket's count is
     * spread over the columns it overlaps, in proportion, then rounded so that the columns add up
     * to the bucket counts (largest remainders first): no aliasing between bucket and column widths.
     */
    int[] timeline(long from, long to, int columns) {
        int[] out = new int[columns];
        if (buckets == null || to <= from) return out;
        double[] share = new double[columns];
        double colWidth = (double) (to - from) / columns;
        long width = 1L << shift;
        for (int i = 0; i < BUCKETS; i++) {
            int c = buckets[i];
            if (c == 0) continue;
            double start = (double) i * width - from;
            double end = start + width;
            if (end <= 0 || start >= to - from) continue; // wholly outside the window
            // a bucket straddling the window's edges is counted inside it
            start = Math.max(0, Math.min(start, to - from - 1e-9 * width));
            end = Math.max(start + 1e-9 * width, Math.min(end, to - from));
            double len = end - start;
            int first = (int) Math.min(columns - 1, Math.floor(start / colWidth));
            int last = (int) Math.min(columns - 1, Math.floor(end / colWidth));
            for (int col = first; col <= last; col++) {
                double lo = Math.max(start, col * colWidth);
                double hi = col == last ? end : Math.min(end, (col + 1) * colWidth);
                if (hi > lo) share[col] += c * (hi - lo) / len;
            }
        }
        long total = 0;
        double sum = 0;
        for (int col = 0; col < columns; col++) {
            out[col] = (int) Math.floor(share[col] + 1e-9);
            total += out[col];
            sum += share[col];
        }
        long missing = Math.round(sum) - total;
        while (missing-- > 0) {
            int best = -1;
            double bestFrac = -1;
            for (int col = 0; col < columns; col++) {
                double frac = share[col] - out[col];
                if (frac > bestFrac) {
                    bestFrac = frac;
                    best = col;
                }
            }
            out[best]++;
        }
        return out;
    }

    private void widen() {
        widen(buckets);
        shift++;
    }

    private static void widen(int[] b) {
        for (int i = 0; i < BUCKETS / 2; i++) b[i] = b[2 * i] + b[2 * i + 1];
        java.util.Arrays.fill(b, BUCKETS / 2, BUCKETS, 0);
    }
}
