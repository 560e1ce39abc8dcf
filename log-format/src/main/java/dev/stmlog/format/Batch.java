package dev.stmlog.format;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A run of consecutive chunks, as the reader passes it from framing to decoding to the visitor.
 *
 * <p>The scanner copies the payloads of CRC-checked chunks into {@link #in} and lists them, with
 * its damage notes, in file order ({@link #items}). A {@link BatchDecoder} turns them into
 * entries: a kind per entry ({@link #kinds}) and a stream of primitive fields ({@link #args}; a
 * timed entry's time first), plus the few objects a record carries ({@link #objects}: names,
 * metadata, notes). Decoding reads nothing but the batch, so batches decode on any thread in any
 * order; pool ids stay ids until a {@link BatchReplay} hands the entries, in file order, to the
 * visitor.
 *
 * <p>Each field an entry stores was read from at least one byte of its record, so {@code L}
 * payload bytes make at most {@code L} entries and {@code L} fields: the output arrays are
 * grown by that, slice by slice as a chunk is decoded, and nothing read from the file sizes them
 * otherwise.
 */
final class Batch {
    /** Bytes of chunk payloads per batch: about 50,000 events, a millisecond of decoding. */
    static final int DEFAULT_BYTES = 256 << 10;
    /**
     * Bytes kept after the payloads, so that the decoder may read a record's fields 16 bytes at
     * a time and a varint 4 bytes at a time without a bounds check of its own.
     */
    static final int SLACK = 32;

    // Entry kinds besides the timed record types (0x20..0x7F, which stand for themselves).
    /** A chunk begins: its thread (1 field). */
    static final byte CHUNK = 0x10;
    /** A damage note of the scanner (1 object). */
    static final byte NOTE = 0x11;
    /** A record that did not decode: its file offset (1 field) and why (1 object). */
    static final byte MALFORMED = 0x12;
    // STRING (id; the string), FRAME (id, class, method, file, line), STACK (id; the frame ids as a
    // long[]), METADATA (the Metadata), TRAILER (the Trailer): by their record types, 0x01..0x05.

    /** A chunk's payload at {@code in[from, to)}. {@code cut}: the file ends inside it. */
    record Chunk(int from, int to, long thread, long baseTime, long fileOffset, boolean cut) {}

    // ---------------------------------------------------------------- input (the scanner's)

    byte[] in;
    int inLength;
    /** {@link Chunk}s and scanner notes ({@code String}), in file order. */
    final List<Object> items = new ArrayList<>();
    /** Budget units this batch holds while in flight (see {@link ParallelDecoding}). */
    int units;

    // ---------------------------------------------------------------- output (the decoder's)

    byte[] kinds;
    int entries;
    long[] args;
    int argCount;
    Object[] objects = new Object[16];
    int objectCount;
    long records;
    long events;
    long unknownRecords;

    /** Set when decoding failed (a bug, or out of memory): the reader rethrows it. */
    Throwable failure;
    /** Written by the decoding thread last, read by the replaying one first. */
    volatile boolean decoded;
    Batch(int bytes) {
        in = new byte[bytes + SLACK];
        kinds = new byte[bytes / 4];
        args = new long[bytes / 4];
    }

    /** Bytes the input can take without growing. */
    int room() {
        return in.length - SLACK - inLength;
    }

    void add(byte[] src, int from, int to, long thread, long baseTime, long fileOffset, boolean cut) {
        int n = to - from;
        if (n > room()) in = Arrays.copyOf(in, inLength + n + SLACK);
        System.arraycopy(src, from, in, inLength, n);
        items.add(new Chunk(inLength, inLength + n, thread, baseTime, fileOffset, cut));
        inLength += n;
    }

    void note(String line) {
        items.add(line);
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    /**
     * Makes room for {@code bytes} more entries and fields, and one: those of the records in
     * {@code bytes} payload bytes and a few more (see {@link BatchDecoder}).
     */
    void ensureOutput(int bytes) {
        int need = entries + bytes + 1;
        if (need > kinds.length) kinds = Arrays.copyOf(kinds, Math.max(need, kinds.length + (kinds.length >> 1)));
        need = argCount + bytes + 1;
        if (need > args.length) args = Arrays.copyOf(args, Math.max(need, args.length + (args.length >> 1)));
    }

    void object(Object o) {
        if (objectCount == objects.length) objects = Arrays.copyOf(objects, objectCount * 2);
        objects[objectCount++] = o;
    }

    /** Forgets the entries (replayed already), keeping the input. */
    void clearOutput() {
        entries = 0;
        argCount = 0;
        Arrays.fill(objects, 0, objectCount, null);
        objectCount = 0;
        records = 0;
        events = 0;
        unknownRecords = 0;
    }

    /**
     * Empties the batch for reuse; arrays grown past twice the usual size for an unusually large
     * chunk are dropped, so that an idle batch holds no more than a usual one.
     */
    void clear() {
        if (in.length > 2 * DEFAULT_BYTES) in = new byte[DEFAULT_BYTES + SLACK];
        if (kinds.length > 2 * DEFAULT_BYTES) kinds = new byte[DEFAULT_BYTES / 4];
        if (args.length > 2 * DEFAULT_BYTES) args = new long[DEFAULT_BYTES / 4];
        if (objects.length > 1024) objects = new Object[16];
        else Arrays.fill(objects, 0, objectCount, null);
        inLength = 0;
        items.clear();
        units = 0;
        entries = 0;
        argCount = 0;
        objectCount = 0;
        records = 0;
        events = 0;
        unknownRecords = 0;
        failure = null;
        decoded = false;
    }
}
