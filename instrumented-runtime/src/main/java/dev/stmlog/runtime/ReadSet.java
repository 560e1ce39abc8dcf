package dev.stmlog.runtime;

import java.util.Arrays;

/** The Refs a transaction has read from shared memory, in a reusable growable array. */
final class ReadSet extends CacheLinePadded {

    private static final int INITIAL = 32;
    /**
     * Past this size (256 KiB of references) the array is given back when a transaction ends
     * having used less than a quarter of it: after a one-off huge transaction, not after each of
     * a series of large ones. An A* search reads up to tens of thousands of cells, and
     * regrowing the array from 32 after each cost a fifth of the search's time.
     */
    private static final int SHRINK_ABOVE = 1 << 16;

    Ref<?>[] refs = new Ref<?>[INITIAL];
    int size;

    /**
     * Logs a read. Cheap de-duplication of the common "read the same Ref again" case; other
     * duplicates are validated twice, and removed when the array is full (see makeRoom). The
     * capacity test comes first so that the JIT can drop the array bounds checks: this runs at
     * every read.
     */
    void add(Ref<?> ref) {
        Ref<?>[] rs = refs;
        int n = size;
        if (n >= rs.length) {
            addToFull(ref);
        } else if (n == 0 || rs[n - 1] != ref) {
            rs[n] = ref;
            size = n + 1;
        }
    }

    private void addToFull(Ref<?> ref) {
        int n = size;
        if (refs[n - 1] != ref) {
            n = makeRoom(n);
            refs[n] = ref;
            size = n + 1;
        }
    }

    /**
     * The array is full: doubles it, unless its last entries repeat themselves, in which case
     * duplicates are removed first and it is doubled only if that did not free half of it.
     * Returns the new size. Only the last read is de-duplicated in {@link #add}: a transaction
     * re-reading 3 Refs in a loop grew its read set by 3 per round (300,000 entries, and as
     * many validations, after 100,000 rounds). Removing duplicates at every growth made a new
     * thread's first transaction of 60,000 distinct reads take 895 µs instead of 348 µs (a hash
     * of each Ref, far apart in memory), so only a sample, the last {@value #TAIL} entries at
     * most, is checked first (352 µs): a loop over up to 3/4 of them is caught; a loop over
     * more Refs still logs each read, as any transaction of that many reads does. A full array is compacted
     * only after at least half of it has been filled since, so this is O(1) per read, amortized,
     * and nothing for a read that does not fill the array.
     */
    private int makeRoom(int n) {
        if (repeats(n - Math.min(n / 2, TAIL), n)) {
            int m = removeDuplicates(n);
            if (m <= n / 2) {
                return m;
            }
            n = m;
        }
        refs = Arrays.copyOf(refs, refs.length * 2);
        return n;
    }

    /** Entries checked for repeats when the array is full. */
    private static final int TAIL = 1024;

    /** Whether at least a quarter of {@code refs[from, to)} repeat earlier ones of that range. */
    private boolean repeats(int from, int to) {
        Ref<?>[] rs = refs;
        int w = to - from;
        Ref<?>[] seen = new Ref<?>[Integer.highestOneBit(w) * 4];
        int mask = seen.length - 1; // at most half full
        int repeated = 0;
        for (int i = from; i < to; i++) {
            if (!insert(seen, mask, rs[i])) {
                repeated++;
            }
        }
        return repeated >= w / 4;
    }

    /** Removes the duplicates of {@code refs[0, n)}, keeping the first of each; returns the new size. */
    private int removeDuplicates(int n) {
        Ref<?>[] rs = refs;
        Ref<?>[] seen = new Ref<?>[Integer.highestOneBit(n) * 4];
        int mask = seen.length - 1;
        int m = 0;
        for (int i = 0; i < n; i++) {
            Ref<?> r = rs[i];
            if (insert(seen, mask, r)) {
                rs[m++] = r;
            }
        }
        Arrays.fill(rs, m, n, null);
        return m;
    }

    /** Adds {@code r} to an open-addressing identity set; false if it was there. */
    private static boolean insert(Ref<?>[] seen, int mask, Ref<?> r) {
        int h = r.hash & mask;
        for (Ref<?> s; (s = seen[h]) != null; h = (h + 1) & mask) {
            if (s == r) {
                return false;
            }
        }
        seen[h] = r;
        return true;
    }

    /** Number of Refs logged (duplicates included until the array fills), for tests. */
    int size() {
        return size;
    }

    void clear() {
        if (refs.length > SHRINK_ABOVE && size < refs.length / 4) {
            refs = new Ref<?>[INITIAL];
        } else {
            clear(refs, size); // don't keep garbage reachable
        }
        size = 0;
    }

    /**
     * Nulls {@code a[0..n)}. Most transactions log a few Refs, and for them {@code Arrays.fill}'s
     * loop costs far more than its stores: under G1 (whose barrier every reference store needs)
     * it is not vectorized, and the three fills after a two-Ref transfer took 8 of its 44 ns
     * (TransferBreakdown, 1 thread); these straight-line stores take about 2.
     */
    static void clear(Object[] a, int n) {
        switch (n) {
            case 4:
                a[3] = null; // and on: every case falls through
            case 3:
                a[2] = null;
            case 2:
                a[1] = null;
            case 1:
                a[0] = null;
            case 0:
                break;
            default:
                Arrays.fill(a, 0, n, null);
        }
    }
}
