package dev.stmlog.analyzer.pypy;

import java.util.Arrays;

/**
 * Interns conflict keys — (event code, marker 1, marker 2) — to small dense ids, looking them up
 * straight from the reader's window so that a known key costs a hash and a compare, never an
 * allocation. Logs have a few dozen distinct markers and millions of records that name them.
 */
public final class MarkerTable {
    private int[] slots = new int[64]; // id + 1, 0 = empty
    private int size;
    private int[] codes = new int[16];
    private byte[][] markers1 = new byte[16][];
    private byte[][] markers2 = new byte[16][];
    private int[] hashes = new int[16];

    /** The id of the key, interning a copy of it if new. */
    public int intern(int code, byte[] b, int off1, int len1, int off2, int len2) {
        int h = hash(code, b, off1, len1, off2, len2);
        int mask = slots.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int s = slots[i];
            if (s == 0) break;
            int id = s - 1;
            if (hashes[id] == h && codes[id] == code && same(markers1[id], b, off1, len1)
                    && same(markers2[id], b, off2, len2)) {
                return id;
            }
        }
        return add(h, code, Arrays.copyOfRange(b, off1, off1 + len1), Arrays.copyOfRange(b, off2, off2 + len2));
    }

    /**
     * Whether {@code b[off, off + len)} holds {@code marker}. A plain loop rather than
     * {@link Arrays#equals(byte[], int, int, byte[], int, int)}: markers are short, and inlining
     * the vectorised comparison made the JIT's compilations of the analysis several times longer.
     */
    private static boolean same(byte[] marker, byte[] b, int off, int len) {
        if (marker.length != len) return false;
        for (int i = 0; i < len; i++) {
            if (marker[i] != b[off + i]) return false;
        }
        return true;
    }

    private int add(int h, int code, byte[] m1, byte[] m2) {
        int id = size++;
        if (id == codes.length) {
            int n = id * 2;
            codes = Arrays.copyOf(codes, n);
            markers1 = Arrays.copyOf(markers1, n);
            markers2 = Arrays.copyOf(markers2, n);
            hashes = Arrays.copyOf(hashes, n);
        }
        codes[id] = code;
        markers1[id] = m1;
        markers2[id] = m2;
        hashes[id] = h;
        if (size * 2 > slots.length) rehash();
        else place(id);
        return id;
    }

    private void place(int id) {
        int mask = slots.length - 1;
        int i = hashes[id] & mask;
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = id + 1;
    }

    private void rehash() {
        slots = new int[slots.length * 2];
        for (int id = 0; id < size; id++) place(id);
    }

    private static int hash(int code, byte[] b, int off1, int len1, int off2, int len2) {
        int h = code * 31 + len1;
        for (int i = off1, e = off1 + len1; i < e; i++) h = h * 31 + b[i];
        h = h * 31 + len2;
        for (int i = off2, e = off2 + len2; i < e; i++) h = h * 31 + b[i];
        return h ^ (h >>> 16) * 0x85EBCA6B;
    }

    public int code(int id) {
        return codes[id];
    }

    public byte[] marker1(int id) {
        return markers1[id];
    }

    public byte[] marker2(int id) {
        return markers2[id];
    }
}
