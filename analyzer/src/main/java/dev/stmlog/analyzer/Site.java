package dev.stmlog.analyzer;

import dev.stmlog.format.event.Frame;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
