package dev.stmlog.format;

import java.nio.charset.StandardCharsets;

/** Little-endian and LEB128 encoding into byte arrays; the one place both sides share. */
final class Bytes {
    private Bytes() {}

    static int varintLength(long v) {
        // 1 byte per 7 significant bits; 0 still takes one byte.
        int bits = 64 - Long.numberOfLeadingZeros(v | 1);
        return (bits + 6) / 7;
    }

    /** Writes {@code v} as an unsigned LEB128 varint at {@code p}; returns the position after it. */
    static int putVarint(byte[] b, int p, long v) {
        while ((v & ~0x7FL) != 0) {
            b[p++] = (byte) (v | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    static void putU16(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
    }

    static void putU32(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
    }

    static void putU64(byte[] b, int p, long v) {
        putU32(b, p, (int) v);
        putU32(b, p + 4, (int) (v >>> 32));
    }

    static int getU16(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8;
    }

    static int getU32(byte[] b, int p) {
        return (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
    }

    static long getU64(byte[] b, int p) {
        return (getU32(b, p) & 0xFFFFFFFFL) | (long) getU32(b, p + 4) << 32;
    }

    /** UTF-8 bytes of {@code s}, cut at a character boundary to at most {@code max} bytes. */
    static byte[] utf8(String s, int max) {
        byte[] u = s.getBytes(StandardCharsets.UTF_8);
        if (u.length <= max) return u;
        int n = max;
        while (n > 0 && (u[n] & 0xC0) == 0x80) n--; // do not split a multi-byte character
        return java.util.Arrays.copyOf(u, n);
    }
}
