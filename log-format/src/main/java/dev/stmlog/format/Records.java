package dev.stmlog.format;

/**
 * Walks the records of a buffer the writer itself produced (trusted bytes, canonical varints):
 * the flusher counts events and follows time deltas without decoding records.
 */
final class Records {
    private Records() {}

    /** Number of records in {@code b[from, to)}. */
    static int count(byte[] b, int from, int to) {
        int n = 0;
        for (int p = from; p < to; n++) {
            long size = varint(b, p);
            p += Bytes.varintLength(size) + (int) size;
        }
        return n;
    }

    /** The time of the last timed record in {@code b[from, to)}, counting from {@code base}. */
    static long endTime(byte[] b, int from, int to, long base) {
        long t = base;
        for (int p = from; p < to; ) {
            long size = varint(b, p);
            int body = p + Bytes.varintLength(size);
            if (Format.isTimed(b[body] & 0xFF)) t += varint(b, body + 1);
            p = body + (int) size;
        }
        return t;
    }

    private static long varint(byte[] b, int p) {
        long v = 0;
        int shift = 0;
        byte x;
        do {
            x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            shift += 7;
        } while (x < 0);
        return v;
    }
}
