package dev.stmlog.runtime;

import java.util.Arrays;

/** The Refs a transaction has read from shared memory, in a reusable growable array. */
final class ReadSet {

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

    void add(Ref<?> ref) {
        int n = size;
        // Cheap de-duplication of the common "read the same Ref again" case; other duplicates
        // are harmless (validated twice).
        if (n != 0 && refs[n - 1] == ref) {
            return;
        }
        if (n == refs.length) {
            refs = Arrays.copyOf(refs, n * 2);
        }
        refs[n] = ref;
        size = n + 1;
    }

    void clear() {
        if (refs.length > SHRINK_ABOVE && size < refs.length / 4) {
            refs = new Ref<?>[INITIAL];
        } else {
            Arrays.fill(refs, 0, size, null); // don't keep garbage reachable
        }
        size = 0;
    }
}
