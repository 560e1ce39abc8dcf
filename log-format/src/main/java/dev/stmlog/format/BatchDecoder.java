package dev.stmlog.format;

import dev.stmlog.format.event.Metadata;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes the chunks of a {@link Batch} into its entries, checking every record: the part of
 * reading that needs nothing but the chunk's own bytes, so that it can run on any thread.
 * Pool ids are left to {@link BatchReplay}, which resolves them in file order.
 *
 * <p>The input is untrusted even after a CRC check (a crafted file has valid CRCs): every read
 * is bounded by its record's end, and no count or length allocates more than the bytes that back
 * it. A record that does not decode makes a {@link Batch#MALFORMED} entry and nothing else.
 */
final class BatchDecoder {
    private static final int MAX_STACK_DEPTH = 4096;
    /** Payload bytes decoded between checks of the room for entries. */
    private static final int SLICE = 64 << 10;
    /** The most fields an entry has (a contention's time and its 9). */
    private static final int MAX_FIELDS = 10;

    /** Thrown by the bounded reads; preallocated, because damage must not cost a stack trace. */
    private static final class Malformed extends RuntimeException {
        Malformed() {
            super(null, null, false, false);
        }
    }

    private static final Malformed MALFORMED = new Malformed();
    static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Batch out;
    private BatchReplay replay;
    // The slow path's state: the chunk's current time, and the record's bytes, position and end.
    private long time;
    private byte[] b;
    private int p;
    private int end;

    /** Decodes {@code batch}'s items into its entries. */
    void decode(Batch batch) {
        decode(batch, null);
    }

    /**
     * Decodes {@code batch}'s items and, when {@code replay} is not null, hands them to it as it
     * goes: the usual records straight to the visitor ({@link BatchReplay#visitRun}), the others
     * through the batch's entries, replayed at once. So the batch holds few entries at a time,
     * whatever the size of its chunks, and each event is dispatched once rather than stored,
     * loaded and dispatched again. The reading thread's way with the batches it decodes itself.
     */
    void decode(Batch batch, BatchReplay replay) {
        out = batch;
        this.replay = replay;
        byte[] in = batch.in;
        for (Object item : batch.items) {
            if (item instanceof Batch.Chunk c) {
                batch.ensureOutput(0);
                batch.kinds[batch.entries++] = Batch.CHUNK;
                batch.args[batch.argCount++] = c.thread();
                chunk(in, c.from(), c.to(), c.baseTime(), c.thread(), c.fileOffset(), c.cut());
            } else {
                batch.ensureOutput(0);
                batch.kinds[batch.entries++] = Batch.NOTE;
                batch.object(item);
            }
        }
        if (replay != null) flush(); // the counts too
        out = null;
        this.replay = null;
        b = null;
    }

    /** Hands the entries decoded so far, and their counts, to the replay, and empties them. */
    private void flush() {
        replay.replay(out);
        out.clearOutput();
    }

    /**
     * Decodes the records in {@code bytes[from, to)}, a chunk payload whose first time delta
     * counts from {@code time}. {@code fileOffset} is the file offset of {@code bytes[from]}, for
     * notes. When {@code cut} the payload ends where the file ends: a record running past
     * {@code to} is the truncation, not damage.
     */
    private void chunk(byte[] bytes, int from, int to, long time, long thread, long fileOffset, boolean cut) {
        final BatchReplay visit = replay;
        int q = from;
        this.time = time;
        while (q < to) {
            // The records that start in the next slice of the payload: they make at most one
            // entry and one field per byte, but for the last, which may run past the slice and
            // has at most 9 fields. Room for a whole 4 MiB chunk at once, whatever its records,
            // was 8 bytes of fields per byte: 32 MB for one chunk.
            if (visit != null && out.entries > 0) flush();
            int slice = (int) Math.min(to, (long) q + SLICE);
            out.ensureOutput(slice - q + MAX_FIELDS);
            while (q < slice) {
                // Runs of the usual records go through a loop of their own, which the JIT
                // compiles well on its own; anything else through next().
                if (visit == null) {
                    q = hotRun(bytes, q, to, slice);
                } else {
                    q = visit.visitRun(bytes, q, to, slice, this.time, thread);
                    this.time = visit.runTime;
                }
                if (q < slice) {
                    q = next(bytes, q, to, fileOffset - from, cut);
                    if (visit != null && out.entries > 0) flush(); // in order with the events visited
                }
            }
        }
    }

    /**
     * Decodes consecutive well-formed records of the usual kinds and sizes that start between
     * {@code q} and {@code limit} (and end by {@code to}): starts,
     * commits, aborts, waits, batches of commits, marks, contentions and untimed starts whose
     * size and fields take at most 4 bytes each. Returns where the first other record starts
     * (next() decodes it, or reports it). Reads and leaves the chunk's time in {@link #time}.
     *
     * <p>Time deltas are read branch-free, 4 bytes at a time ({@link Batch#SLACK} bytes past the
     * payload keep such reads inside the array): the first byte without a continuation bit ends
     * one. Their lengths vary at random, and a branch per byte mispredicted often enough to halve
     * the speed of starts and commits. Other fields are mostly ids and counts of one byte, which
     * a branch takes first ({@link #field}); a contention's eight are found at once
     * ({@link #fields}). Through next(), one byte at a time, contentions, batches and marks took
     * 3 to 6 times as long per event as starts. Thread CPU per event now, batches in memory:
     * starts and commits 5.2 ns, aborts and waits 6.9, batches of commits 10.7, marks 11.2,
     * start-contention-abort sequences 14.0 (18.6 with a contention's fields read one after the
     * other).
     */
    private int hotRun(byte[] bytes, int q, int to, int limit) {
        final Batch o = out;
        final byte[] kinds = o.kinds;
        final long[] args = o.args;
        int n = o.entries;
        int a = o.argCount;
        long time = this.time;
        loop:
        while (q < limit) {
            int size = bytes[q];
            int type = bytes[q + 1];
            int recordEnd = q + 1 + size;
            if (size < 2 || recordEnd > to) break;
            int w = (int) INT_LE.get(bytes, q + 2);
            int len = (Integer.numberOfTrailingZeros(~w & 0x80808080) + 1) >>> 3; // 1..4, 4 also when none
            if (len >= size || (len == 4 && w < 0)) break; // past the record, or longer than 4 bytes
            int value = (w & 0x7F) | (w >>> 1 & 0x3F80) | (w >>> 2 & 0x1FC000) | (w >>> 3 & 0xFE00000);
            long t = time + (value & (int) ((1L << 7 * len) - 1));
            int p = q + 2 + len; // the first field
            switch (type) {
                case Format.TX_START, Format.TX_COMMIT -> {
                    kinds[n] = (byte) type;
                    args[a++] = t;
                }
                case Format.TX_ABORT, Format.WAIT_BEGIN, Format.WAIT_END -> {
                    // a code: 1..3 for an abort's cause, 1..4 for a wait's kind
                    int code = bytes[p];
                    if (p >= recordEnd || code < 1 || code > (type == Format.TX_ABORT ? 3 : 4)) break loop;
                    kinds[n] = (byte) type;
                    args[a] = t;
                    args[a + 1] = code;
                    a += 2;
                }
                case Format.TX_COMMITS -> {
                    long count = field(bytes, p, recordEnd);
                    if (count < 8) break loop; // cut, too long, or a count of 0
                    long busy = field(bytes, p + ((int) count & 7), recordEnd);
                    if (busy < 0) break loop;
                    kinds[n] = (byte) type;
                    args[a] = t;
                    args[a + 1] = count >>> 3;
                    args[a + 2] = busy >>> 3;
                    a += 3;
                }
                case Format.MARK -> {
                    long name = field(bytes, p, recordEnd);
                    if (name < 0) break loop;
                    long v = field(bytes, p + ((int) name & 7), recordEnd);
                    if (v < 0) break loop;
                    kinds[n] = (byte) type;
                    args[a] = t;
                    args[a + 1] = name >>> 3;
                    args[a + 2] = Bytes.unzigzag(v >>> 3);
                    a += 3;
                }
                case Format.UNTIMED_START -> {
                    long estimated = field(bytes, p, recordEnd);
                    if (estimated < 0) break loop;
                    kinds[n] = (byte) type;
                    args[a] = t;
                    args[a + 1] = estimated >>> 3;
                    a += 2;
                }
                case Format.CONTENTION -> {
                    // its kind (a byte, 1..3: a varint of one byte) and 7 fields, then the other
                    // side's time (absent in logs of older writers: 0); without the last two of
                    // the 7 (older writers still), next() decodes it
                    int f;
                    if (recordEnd - p < 8 || (f = fields(bytes, p, recordEnd, args, a + 1, 8)) < 0) break loop;
                    long kind = args[a + 1];
                    if (kind < 1 || kind > 3) break loop;
                    long otherNanos = 0;
                    if (f < recordEnd) {
                        otherNanos = field(bytes, f, recordEnd);
                        if (otherNanos < 0) break loop;
                        otherNanos >>>= 3;
                    }
                    kinds[n] = (byte) type;
                    args[a] = t;
                    args[a + 9] = otherNanos;
                    a += 10;
                }
                default -> {
                    break loop;
                }
            }
            n++;
            time = t;
            q = recordEnd;
        }
        long decoded = n - o.entries;
        o.records += decoded;
        o.events += decoded;
        o.entries = n;
        o.argCount = a;
        this.time = time;
        return q;
    }

    /**
     * Decodes the {@code n} (at most 8) varints at {@code bytes[p]} into {@code args[a, a + n)},
     * if each takes at most 4 bytes and all of them 16 bytes at most, ending by {@code end};
     * returns the position after them, else -1 (and the fields written are to be ignored).
     *
     * <p>Where each varint ends is found for all of them at once, from the continuation bits of
     * 16 bytes read as two words, rather than one varint after the other: each one's position
     * then depends on a count of bits, not on the bytes of the one before, and the fields of a
     * contention decode side by side instead of in a chain of dependent loads.
     */
    static int fields(byte[] bytes, int p, int end, long[] args, int a, int n) {
        long s0 = ~(long) LONG_LE.get(bytes, p) & 0x8080808080808080L;
        long s1 = ~(long) LONG_LE.get(bytes, p + 8) & 0x8080808080808080L;
        // bit i: byte i ends a varint (its continuation bit is clear)
        int stops = (int) ((s0 >>> 7) * 0x0102040810204080L >>> 56) | (int) ((s1 >>> 7) * 0x0102040810204080L >>> 56) << 8;
        int start = 0;
        for (int i = 0; i < n; i++) {
            int e = Integer.numberOfTrailingZeros(stops); // 32 when no varint ends in the 16 bytes
            int len = e + 1 - start;
            if (len > 4 || e >= 16) return -1;
            int w = (int) INT_LE.get(bytes, p + start);
            int value = (w & 0x7F) | (w >>> 1 & 0x3F80) | (w >>> 2 & 0x1FC000) | (w >>> 3 & 0xFE00000);
            args[a + i] = value & (int) ((1L << 7 * len) - 1);
            stops &= stops - 1;
            start = e + 1;
        }
        return p + start <= end ? p + start : -1;
    }

    /**
     * The varint at {@code bytes[p]} if it ends before {@code end} and takes at most 4 bytes
     * (28 bits): its value shifted left by 3, or'ed with its length; else -1.
     */
    static long field(byte[] bytes, int p, int end) {
        int b = bytes[p];
        if (b >= 0) return p < end ? (long) b << 3 | 1 : -1; // one byte: counts and ids, mostly
        int w = (int) INT_LE.get(bytes, p);
        int len = (Integer.numberOfTrailingZeros(~w & 0x80808080) + 1) >>> 3;
        if ((len == 4 && w < 0) || p + len > end) return -1;
        int value = (w & 0x7F) | (w >>> 1 & 0x3F80) | (w >>> 2 & 0x1FC000) | (w >>> 3 & 0xFE00000);
        return (long) (value & (int) ((1L << 7 * len) - 1)) << 3 | len;
    }

    /**
     * Decodes the one record at {@code q}, of any type, with every check; returns where the next
     * record starts ({@code to} when the rest of the chunk cannot be framed) and leaves the
     * chunk's time in {@link #time}. {@code base} turns array indexes into file offsets.
     */
    private int next(byte[] bytes, int q, int to, long base, boolean cut) {
        this.b = bytes;
        this.p = q;
        this.end = to;
        long size = varintOrMinus();
        if (size < 0 || size > to - p) {
            if (!cut) malformed(base + q, "record size runs past its chunk");
            return to;
        }
        if (size == 0) {
            malformed(base + q, "empty record");
            return p;
        }
        int recordEnd = p + (int) size;
        int type = bytes[p++] & 0xFF;
        out.records++;
        if (Format.isTimed(type)) {
            this.end = recordEnd;
            long d = varintOrMinus();
            if (d < 0) {
                malformed(base + q, "timed record without a valid time");
                return recordEnd;
            }
            time += d;
            timed(type, base + q);
        } else {
            this.end = recordEnd;
            untimed(type, base + q);
        }
        return recordEnd;
    }

    private void malformed(long offset, String why) {
        Batch o = out;
        o.kinds[o.entries++] = Batch.MALFORMED;
        o.args[o.argCount++] = offset;
        o.object(why);
    }

    /**
     * A timed record's fields after its delta, {@code b[p, end)}: all of them are read and
     * checked first, then its entry is made, so that a malformed record leaves nothing behind.
     */
    private void timed(int type, long offset) {
        Batch o = out;
        try {
            switch (type) {
                case Format.TX_START, Format.TX_COMMIT -> entry(type, 0, 0, 0);
                case Format.TX_COMMITS -> {
                    long count = varint();
                    long busy = varint();
                    if (count < 1 || busy < 0) throw MALFORMED;
                    entry(type, 2, count, busy);
                }
                case Format.TX_ABORT -> entry(type, 1, code(3), 0);
                case Format.WAIT_BEGIN, Format.WAIT_END -> entry(type, 1, code(4), 0);
                case Format.CONTENTION -> {
                    int kind = code(3);
                    long other = varint();
                    long victim = varint();
                    long otherStack = varint();
                    long read = varint();
                    long label = varint();
                    // appended fields: absent in logs of older writers
                    long ref = p < end ? varint() : 0;
                    long flags = p < end ? varint() : 0;
                    long otherNanos = p < end ? varint() : 0;
                    entry(type, 0, 0, 0);
                    long[] a = o.args;
                    int i = o.argCount;
                    a[i] = kind;
                    a[i + 1] = other;
                    a[i + 2] = victim;
                    a[i + 3] = otherStack;
                    a[i + 4] = read;
                    a[i + 5] = label;
                    a[i + 6] = ref;
                    a[i + 7] = flags;
                    a[i + 8] = otherNanos;
                    o.argCount = i + 9;
                }
                case Format.ACCESS_SITE -> {
                    long ref = varint();
                    int access = code(2);
                    long stack = varint();
                    entry(type, 2, ref, access);
                    o.args[o.argCount++] = stack;
                }
                case Format.UNTIMED_START -> {
                    long estimated = varint();
                    if (estimated < 0) throw MALFORMED;
                    entry(type, 1, estimated, 0);
                }
                case Format.INEVITABLE -> entry(type, 1, varint(), 0);
                case Format.GC_PAUSE -> {
                    long collector = varint();
                    long duration = varint();
                    if (duration < 0) throw MALFORMED;
                    entry(type, 2, collector, duration);
                }
                case Format.THREAD_START -> {
                    long id = varint();
                    String name = utf8();
                    entry(type, 1, id, 0);
                    o.object(name);
                }
                case Format.MARK -> {
                    long name = varint();
                    long value = Bytes.unzigzag(varint());
                    entry(type, 2, name, value);
                }
                case Format.MARKS -> {
                    long name = varint();
                    long count = varint();
                    if (count < 1) throw MALFORMED;
                    long sum = Bytes.unzigzag(varint());
                    entry(type, 2, name, count);
                    o.args[o.argCount++] = sum;
                }
                case Format.DATA_LOSS -> {
                    long count = varint();
                    if (count < 0) throw MALFORMED;
                    entry(type, 1, count, 0);
                }
                default -> o.unknownRecords++;
            }
        } catch (Malformed m) {
            malformed(offset, "bad or short fields in record type 0x" + Integer.toHexString(type));
        }
    }

    /** An event's entry: its kind, its time and its first {@code fields} fields (0 to 2). */
    private void entry(int type, int fields, long first, long second) {
        Batch o = out;
        o.events++;
        o.kinds[o.entries++] = (byte) type;
        long[] a = o.args;
        int i = o.argCount;
        a[i++] = time;
        if (fields > 0) a[i++] = first;
        if (fields > 1) a[i++] = second;
        o.argCount = i;
    }

    private void untimed(int type, long offset) {
        Batch o = out;
        try {
            switch (type) {
                case Format.STRING -> {
                    long id = varint();
                    String s = utf8();
                    o.kinds[o.entries++] = (byte) type;
                    o.args[o.argCount++] = id;
                    o.object(s);
                }
                case Format.FRAME -> {
                    long id = varint();
                    long cls = varint();
                    long method = varint();
                    long file = varint();
                    long line = varint();
                    if (line < 0 || line > Integer.MAX_VALUE) throw MALFORMED;
                    o.kinds[o.entries++] = (byte) type;
                    long[] a = o.args;
                    int i = o.argCount;
                    a[i] = id;
                    a[i + 1] = cls;
                    a[i + 2] = method;
                    a[i + 3] = file;
                    a[i + 4] = line;
                    o.argCount = i + 5;
                }
                case Format.STACK -> {
                    long id = varint();
                    long n = varint();
                    // each frame id takes at least a byte, so n cannot exceed what is left
                    if (n < 0 || n > end - p || n > MAX_STACK_DEPTH) throw MALFORMED;
                    long[] frames = new long[(int) n];
                    for (int i = 0; i < n; i++) frames[i] = varint();
                    o.kinds[o.entries++] = (byte) type;
                    o.args[o.argCount++] = id;
                    o.object(frames);
                }
                case Format.METADATA -> {
                    Metadata m = metadata();
                    o.kinds[o.entries++] = (byte) type;
                    o.object(m);
                }
                case Format.TRAILER -> {
                    Trailer t = new Trailer(varint(), varint(), varint(), varint());
                    o.kinds[o.entries++] = (byte) type;
                    o.object(t);
                }
                default -> o.unknownRecords++;
            }
        } catch (Malformed m) {
            malformed(offset, "bad or short fields in record type 0x" + Integer.toHexString(type));
        }
    }

    private Metadata metadata() {
        long pid = varint();
        String command = utf8();
        String jvm = utf8();
        int processors = (int) Math.min(Integer.MAX_VALUE, varint());
        int workers = (int) Math.min(Integer.MAX_VALUE, varint());
        long start = Bytes.unzigzag(varint());
        long origin = Bytes.unzigzag(varint());
        long n = varint();
        if (n < 0 || n > end - p) throw MALFORMED; // each pair takes at least two bytes
        Map<String, String> user = new LinkedHashMap<>();
        for (long i = 0; i < n; i++) user.put(utf8(), utf8());
        return new Metadata(pid, command, jvm, processors, workers, start, origin, user);
    }

    /** A one-byte enumeration code, 1 to {@code max}. */
    private int code(int max) {
        int c = u8();
        if (c < 1 || c > max) throw MALFORMED;
        return c;
    }

    // ---------------------------------------------------------------- bounded reads

    private int u8() {
        if (p >= end) throw MALFORMED;
        return b[p++] & 0xFF;
    }

    /** A field: an unsigned LEB128 varint of up to 64 bits (zigzag values use them all). */
    private long varint() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (p >= end) throw MALFORMED;
            int x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
        throw MALFORMED;
    }

    /** A size or time delta: a varint of at most 63 bits, or -1 when it is cut or too long. */
    private long varintOrMinus() {
        long v = 0;
        for (int shift = 0; shift < 63; shift += 7) {
            if (p >= end) return -1;
            int x = b[p++];
            v |= (long) (x & 0x7F) << shift;
            if (x >= 0) return v;
        }
        return -1;
    }

    private String utf8() {
        long n = varint();
        if (n < 0 || n > end - p) throw MALFORMED;
        String s = new String(b, p, (int) n, StandardCharsets.UTF_8);
        p += (int) n;
        return s;
    }
}
