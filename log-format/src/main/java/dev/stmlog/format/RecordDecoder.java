package dev.stmlog.format;

import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.BecomeInevitable;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.DataLoss;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.GcPause;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.UntimedStart;
import dev.stmlog.format.event.UserMark;
import dev.stmlog.format.event.UserMarks;
import dev.stmlog.format.event.WaitKind;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes the records of chunk payloads and hands them to a visitor, resolving pool ids.
 *
 * <p>The input is untrusted even after a CRC check (a crafted file has valid CRCs): every read
 * is bounded by its record's end, no count or length allocates more than the bytes that back
 * it, and the pools stop growing at a fixed size.
 */
final class RecordDecoder {
    /** Per pool; a log with more distinct entries than this is hostile or broken. */
    private static final int MAX_POOL_ENTRIES = 1 << 20;
    private static final int MAX_STACK_DEPTH = 4096;

    /** Thrown by the bounded reads; preallocated, because damage must not cost a stack trace. */
    private static final class Malformed extends RuntimeException {
        Malformed() {
            super(null, null, false, false);
        }
    }

    private static final Malformed MALFORMED = new Malformed();
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final EventVisitor visitor;
    private final DamageLog damage;
    private final Map<Long, String> strings = new HashMap<>();
    private final Map<Long, Frame> frames = new HashMap<>();
    private final Map<Long, Stack> stacks = new HashMap<>();
    private boolean poolOverflowNoted;

    long records;
    long events;
    long unknownRecords;
    Metadata metadata;
    Trailer trailer;

    // The slow path's state: the chunk's current time, and the record's bytes, position and end.
    private long time;
    private byte[] b;
    private int p;
    private int end;

    RecordDecoder(EventVisitor visitor, DamageLog damage) {
        this.visitor = visitor;
        this.damage = damage;
    }

    /**
     * Decodes the records in {@code bytes[from, to)}, a chunk payload of {@code thread} whose
     * first time delta counts from {@code time}. {@code fileOffset} is the file offset of
     * {@code bytes[from]}, for notes. When {@code cut} the payload ends where the file ends: a
     * record running past {@code to} is the truncation, not damage.
     */
    void decode(byte[] bytes, int from, int to, long thread, long time, long fileOffset, boolean cut) {
        int q = from;
        this.time = time;
        while (q < to) {
            // Runs of transaction starts and commits, most of any log, go through a small loop of
            // their own (which the JIT compiles well on its own); anything else through next().
            q = hotRun(bytes, q, to, thread);
            if (q < to) q = next(bytes, q, to, thread, this.time, fileOffset - from, cut);
        }
    }

    /**
     * Decodes consecutive well-formed start and commit records from {@code q}; returns where the
     * first other record starts. Reads and leaves the chunk's time in {@link #time}.
     */
    private int hotRun(byte[] bytes, int q, int to, long thread) {
        final EventVisitor v = visitor;
        long time = this.time;
        long n = 0;
        final int safeEnd = bytes.length - 6; // a 4-byte read at q + 2 stays inside the array
        while (q < to && q <= safeEnd) {
            int size = bytes[q];
            int type = bytes[q + 1];
            int recordEnd = q + 1 + size;
            if (size < 2 || recordEnd > to || (type & ~1) != Format.TX_START) break; // not 0x20/0x21
            // Branch-free varint of up to 4 bytes: the first byte without a continuation bit ends
            // it. Deltas' lengths vary at random, and a branch per byte mispredicts often enough
            // to halve the speed.
            int w = (int) INT_LE.get(bytes, q + 2);
            int len = (Integer.numberOfTrailingZeros(~w & 0x80808080) + 1) >>> 3; // 1..4, 4 also when none
            if (len >= size || (len == 4 && w < 0)) break; // past the record, or longer than 4 bytes
            int value = (w & 0x7F) | (w >>> 1 & 0x3F80) | (w >>> 2 & 0x1FC000) | (w >>> 3 & 0xFE00000);
            time += value & (int) ((1L << 7 * len) - 1);
            n++;
            if (type == Format.TX_START) v.txStart(time, thread);
            else v.txCommit(time, thread);
            q = recordEnd;
        }
        this.time = time;
        records += n;
        events += n;
        return q;
    }

    /**
     * Decodes the one record at {@code q}, of any type, with every check; returns where the next
     * record starts ({@code to} when the rest of the chunk cannot be framed) and leaves the
     * chunk's time in {@link #time}. {@code base} turns array indexes into file offsets.
     */
    private int next(byte[] bytes, int q, int to, long thread, long time, long base, boolean cut) {
        this.time = time;
        this.b = bytes;
        this.p = q;
        this.end = to;
        long size = varintOrMinus();
        if (size < 0 || size > to - p) {
            if (!cut) damage.malformed(base + q, "record size runs past its chunk");
            return to;
        }
        if (size == 0) {
            damage.malformed(base + q, "empty record");
            return p;
        }
        int recordEnd = p + (int) size;
        int type = bytes[p++] & 0xFF;
        records++;
        if (Format.isTimed(type)) {
            this.end = recordEnd;
            long d = varintOrMinus();
            if (d < 0) {
                damage.malformed(base + q, "timed record without a valid time");
                return recordEnd;
            }
            this.time = time + d;
            timed(type, bytes, p, recordEnd, thread, this.time, base + q);
        } else {
            untimed(type, bytes, p, recordEnd, base + q);
        }
        return recordEnd;
    }

    private void timed(int type, byte[] bytes, int from, int recordEnd, long thread, long time, long offset) {
        b = bytes;
        p = from;
        end = recordEnd;
        try {
            switch (type) {
                case Format.TX_START -> {
                    events++;
                    visitor.txStart(time, thread);
                }
                case Format.TX_COMMIT -> {
                    events++;
                    visitor.txCommit(time, thread);
                }
                case Format.TX_COMMITS -> {
                    long count = varint();
                    long busy = varint();
                    if (count < 1 || busy < 0) throw MALFORMED;
                    events++;
                    visitor.txCommits(time, thread, count, busy);
                }
                case Format.TX_ABORT -> {
                    AbortCause cause = AbortCause.ofCode(u8());
                    if (cause == null) throw MALFORMED;
                    events++;
                    visitor.txAbort(time, thread, cause);
                }
                case Format.WAIT_BEGIN -> {
                    WaitKind kind = waitKind();
                    events++;
                    visitor.waitBegin(time, thread, kind);
                }
                case Format.WAIT_END -> {
                    WaitKind kind = waitKind();
                    events++;
                    visitor.waitEnd(time, thread, kind);
                }
                case Format.CONTENTION -> {
                    ContentionKind kind = ContentionKind.ofCode(u8());
                    if (kind == null) throw MALFORMED;
                    long other = varint() - 1;
                    Stack victim = stack(varint());
                    Stack otherStack = stack(varint());
                    Stack read = stack(varint());
                    long label = varint();
                    // appended fields: absent in logs of older writers
                    long ref = p < end ? varint() : Contention.NO_REF;
                    boolean atEntry = p < end && (varint() & 1) != 0;
                    events++;
                    visitor.event(new Contention(time, thread, kind, other < 0 ? Contention.UNKNOWN_THREAD : other,
                            victim, otherStack, read, label == 0 ? null : string(label), ref, atEntry));
                }
                case Format.ACCESS_SITE -> {
                    long ref = varint();
                    AccessKind access = AccessKind.ofCode(u8());
                    if (access == null) throw MALFORMED;
                    Stack s = stack(varint());
                    events++;
                    visitor.event(new AccessSite(time, thread, ref, access, s));
                }
                case Format.UNTIMED_START -> {
                    long estimated = varint();
                    if (estimated < 0) throw MALFORMED;
                    events++;
                    visitor.event(new UntimedStart(time, thread, estimated));
                }
                case Format.INEVITABLE -> {
                    Stack s = stack(varint());
                    events++;
                    visitor.event(new BecomeInevitable(time, thread, s));
                }
                case Format.GC_PAUSE -> {
                    String collector = string(varint());
                    long duration = varint();
                    if (duration < 0) throw MALFORMED;
                    events++;
                    visitor.event(new GcPause(time, thread, collector, duration));
                }
                case Format.THREAD_START -> {
                    long id = varint();
                    String name = utf8();
                    events++;
                    visitor.event(new ThreadStart(time, id, name));
                }
                case Format.MARK -> {
                    String name = string(varint());
                    long value = Bytes.unzigzag(varint());
                    events++;
                    visitor.event(new UserMark(time, thread, name, value));
                }
                case Format.MARKS -> {
                    String name = string(varint());
                    long count = varint();
                    if (count < 1) throw MALFORMED;
                    long sum = Bytes.unzigzag(varint());
                    events++;
                    visitor.event(new UserMarks(time, thread, name, count, sum));
                }
                case Format.DATA_LOSS -> {
                    long count = varint();
                    if (count < 0) throw MALFORMED;
                    events++;
                    damage.eventsLost += count;
                    visitor.event(new DataLoss(time, thread, count));
                }
                default -> unknownRecords++;
            }
        } catch (Malformed m) {
            damage.malformed(offset, "bad or short fields in record type 0x" + Integer.toHexString(type));
        }
    }

    private void untimed(int type, byte[] bytes, int from, int recordEnd, long offset) {
        b = bytes;
        p = from;
        end = recordEnd;
        try {
            switch (type) {
                case Format.STRING -> {
                    long id = varint();
                    define(strings, id, utf8());
                }
                case Format.FRAME -> {
                    long id = varint();
                    String cls = string(varint());
                    String method = string(varint());
                    long file = varint();
                    long line = varint();
                    if (line < 0 || line > Integer.MAX_VALUE) throw MALFORMED;
                    define(frames, id, new Frame(cls, method, file == 0 ? null : string(file), (int) line - 1));
                }
                case Format.STACK -> {
                    long id = varint();
                    long n = varint();
                    // each frame id takes at least a byte, so n cannot exceed what is left
                    if (n < 0 || n > end - p || n > MAX_STACK_DEPTH) throw MALFORMED;
                    List<Frame> list = new ArrayList<>((int) n);
                    for (long i = 0; i < n; i++) list.add(frame(varint()));
                    define(stacks, id, new Stack(list));
                }
                case Format.METADATA -> metadata();
                case Format.TRAILER -> trailer = new Trailer(varint(), varint(), varint(), varint());
                default -> unknownRecords++;
            }
        } catch (Malformed m) {
            damage.malformed(offset, "bad or short fields in record type 0x" + Integer.toHexString(type));
        }
    }

    private void metadata() {
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
        metadata = new Metadata(pid, command, jvm, processors, workers, start, origin, user);
        visitor.metadata(metadata);
    }

    private <T> void define(Map<Long, T> pool, long id, T value) {
        if (pool.size() < MAX_POOL_ENTRIES || pool.containsKey(id)) {
            pool.put(id, value);
        } else if (!poolOverflowNoted) {
            poolOverflowNoted = true;
            damage.note("more than " + MAX_POOL_ENTRIES + " pool entries of one kind; the rest are ignored");
        }
    }

    private String string(long id) {
        String s = strings.get(id);
        if (s != null) return s;
        damage.unresolvedReferences++;
        return "<unknown string #" + id + ">";
    }

    private Frame frame(long id) {
        Frame f = frames.get(id);
        if (f != null) return f;
        damage.unresolvedReferences++;
        return new Frame("<unknown frame #" + id + ">", "?", null, -1);
    }

    private Stack stack(long id) {
        if (id == 0) return Stack.EMPTY;
        Stack s = stacks.get(id);
        if (s != null) return s;
        damage.unresolvedReferences++;
        return Stack.EMPTY;
    }

    private WaitKind waitKind() {
        WaitKind kind = WaitKind.ofCode(u8());
        if (kind == null) throw MALFORMED;
        return kind;
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
