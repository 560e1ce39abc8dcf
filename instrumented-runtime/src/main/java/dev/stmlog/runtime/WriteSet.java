package dev.stmlog.runtime;

import java.util.Arrays;

/**
 * The buffered writes of a transaction (Ref, new value), in insertion order, in reusable
 * growable arrays. Lookup is a linear scan while the set is small (the common case, and the
 * fastest there) and switches to an open-addressing table of positions once it grows past
 * {@link #LINEAR_LIMIT}.
 */
final class WriteSet extends CacheLinePadded {

    private static final int INITIAL = 16;
    private static final int LINEAR_LIMIT = 8;
    private static final int SHRINK_ABOVE = 1 << 12;

    Ref<?>[] refs = new Ref<?>[INITIAL];
    Object[] values = new Object[INITIAL];
    /**
     * The values of {@link TLong}s written by {@link #putLong}: where {@code values} holds null
     * for a TLong (whose value is never null; a boxed one is in {@code values}). Null rather than
     * a marker object: G1 skips its post-write barrier for a null store, and an old array's
     * barrier for a reference into another region has a StoreLoad fence.
     */
    long[] longs = new long[INITIAL];
    int size;

    /**
     * Whether {@code values} may hold anything: a value was {@link #put} or {@link #set}. A
     * transaction that wrote only TLongs' unboxed values leaves it all null, and its end then
     * has nothing to clear there.
     */
    private boolean boxed;

    /** Open-addressing table of (position + 1), 0 = empty; valid only while {@link #indexed}. */
    private int[] index;
    private boolean indexed;

    /**
     * A bit per Ref in the set, at its hash modulo 64: a Ref whose bit is clear is not in it.
     * Most lookups are of Refs the transaction has not written (a read of another Ref after a
     * write, the first write of a Ref), and the bit answers them without a scan.
     */
    private long present;

    /** Position of {@code ref} in the set, or -1. */
    int indexOf(Ref<?> ref) {
        if ((present & 1L << ref.hash) == 0) { // a long shift takes the hash modulo 64
            return -1;
        }
        if (!indexed) {
            Ref<?>[] rs = refs;
            for (int i = 0, n = size; i < n; i++) {
                if (rs[i] == ref) {
                    return i;
                }
            }
            return -1;
        }
        int[] table = index;
        int mask = table.length - 1;
        for (int h = ref.hash & mask;; h = (h + 1) & mask) {
            int e = table[h];
            if (e == 0) {
                return -1;
            }
            if (refs[e - 1] == ref) {
                return e - 1;
            }
        }
    }

    /** The value at position {@code i}, a {@link TLong}'s boxed. */
    Object value(int i) {
        Object v = values[i];
        return v == null && refs[i] instanceof TLong ? (Object) longs[i] : v;
    }

    void put(Ref<?> ref, Object value) {
        int i = indexOf(ref);
        set(i >= 0 ? i : append(ref), value);
    }

    /** Replaces the value at position {@code i}. */
    void set(int i, Object value) {
        values[i] = value;
        boxed = true;
    }

    /** {@link #put} of a TLong's value, unboxed. */
    void putLong(TLong ref, long value) {
        int i = indexOf(ref);
        if (i < 0) {
            i = append(ref); // its value slot is null, as every one past the size is
        } else if (boxed) {
            values[i] = null;
        }
        longs[i] = value;
    }

    /** Adds {@code ref} with a null value; returns its position. */
    private int append(Ref<?> ref) {
        int n = size;
        if (n == refs.length) {
            refs = Arrays.copyOf(refs, n * 2);
            values = Arrays.copyOf(values, n * 2);
            longs = Arrays.copyOf(longs, n * 2);
        }
        refs[n] = ref;
        size = n + 1;
        present |= 1L << ref.hash;
        if (indexed) {
            if (size * 2 > index.length) {
                rebuildIndex();
            } else {
                insert(n);
            }
        } else if (size > LINEAR_LIMIT) {
            rebuildIndex();
        }
        return n;
    }

    private void rebuildIndex() {
        int capacity = Integer.highestOneBit(size * 4 - 1) << 1; // power of two, load <= 1/4 now
        if (index == null || index.length < capacity) {
            index = new int[capacity];
        } else {
            Arrays.fill(index, 0);
        }
        indexed = true;
        for (int i = 0; i < size; i++) {
            insert(i);
        }
    }

    private void insert(int position) {
        int[] table = index;
        int mask = table.length - 1;
        int h = refs[position].hash & mask;
        while (table[h] != 0) {
            h = (h + 1) & mask;
        }
        table[h] = position + 1;
    }

    void clear() {
        if (refs.length > SHRINK_ABOVE) {
            refs = new Ref<?>[INITIAL];
            values = new Object[INITIAL];
            longs = new long[INITIAL];
        } else {
            ReadSet.clear(refs, size);
            if (boxed) {
                ReadSet.clear(values, size);
            }
        }
        if (index != null && index.length > SHRINK_ABOVE) {
            index = null;
        }
        indexed = false;
        boxed = false;
        present = 0;
        size = 0;
    }
}
