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
import dev.stmlog.format.event.UserMarks;
import dev.stmlog.format.event.ValueChange;
import dev.stmlog.format.event.WaitKind;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands decoded batches, in file order, to a visitor: defines the pools' entries as they come and
 * resolves the ids that events carry, and records the damage found. Everything that depends on
 * what came before in the file happens here, on the reading thread, so that the visitor sees
 * the same calls in the same order however the batches were decoded.
 */
final class BatchReplay {
    /** Per pool; a log with more distinct entries than this is hostile or broken. */
    private static final int MAX_POOL_ENTRIES = 1 << 20;

    private static final AbortCause[] CAUSES = new AbortCause[4];
    private static final WaitKind[] WAITS = new WaitKind[5];
    private static final ContentionKind[] KINDS = new ContentionKind[4];
    private static final AccessKind[] ACCESSES = new AccessKind[3];

    static {
        for (AbortCause c : AbortCause.values()) CAUSES[c.code()] = c;
        for (WaitKind k : WaitKind.values()) WAITS[k.code()] = k;
        for (ContentionKind k : ContentionKind.values()) KINDS[k.code()] = k;
        for (AccessKind k : AccessKind.values()) ACCESSES[k.code()] = k;
    }

    private final EventVisitor visitor;
    private final DamageLog damage;
    private final Pool<String> strings = new Pool<>();
    private final Pool<Frame> frames = new Pool<>();
    private final Pool<Stack> stacks = new Pool<>();
    private boolean poolOverflowNoted;

    long records;
    long events;
    long unknownRecords;
    Metadata metadata;
    Trailer trailer;

    /** The thread of the chunk whose entries come last. */
    private long thread;
    /** The cold path's cursor in the batch's objects. */
    private Object[] objects;
    private int object;

    BatchReplay(EventVisitor visitor, DamageLog damage) {
        this.visitor = visitor;
        this.damage = damage;
    }

    /** Hands {@code batch}'s entries to the visitor. */
    void replay(Batch batch) {
        records += batch.records;
        events += batch.events;
        unknownRecords += batch.unknownRecords;
        objects = batch.objects;
        object = 0;
        final EventVisitor v = visitor;
        final byte[] kinds = batch.kinds;
        final long[] a = batch.args;
        long thread = this.thread; // a slice of a chunk goes on with the chunk's thread
        int i = 0;
        // The kinds of events that make up most of any log in this loop; the rest in cold(),
        // which the JIT need not inline. (Contentions and marks through cold() took twice as long.)
        for (int n = batch.entries, k = 0; k < n; k++) {
            switch (kinds[k]) {
                case Format.TX_START -> v.txStart(a[i++], thread);
                case Format.TX_COMMIT -> v.txCommit(a[i++], thread);
                case Format.TX_ABORT -> {
                    v.txAbort(a[i], thread, CAUSES[(int) a[i + 1]]);
                    i += 2;
                }
                case Format.WAIT_BEGIN -> {
                    v.waitBegin(a[i], thread, WAITS[(int) a[i + 1]]);
                    i += 2;
                }
                case Format.WAIT_END -> {
                    v.waitEnd(a[i], thread, WAITS[(int) a[i + 1]]);
                    i += 2;
                }
                case Format.TX_COMMITS -> {
                    v.txCommits(a[i], thread, a[i + 1], a[i + 2]);
                    i += 3;
                }
                case Format.CONTENTION -> {
                    long other = a[i + 2] - 1;
                    long flags = a[i + 8];
                    v.contention(a[i], thread, KINDS[(int) a[i + 1]], other < 0 ? Contention.UNKNOWN_THREAD : other,
                            stack(a[i + 3]), stack(a[i + 4]), stack(a[i + 5]), a[i + 6] == 0 ? null : string(a[i + 6]),
                            a[i + 7], (flags & 1) != 0, ValueChange.ofCode((int) (flags >>> 1)), a[i + 9] - 1);
                    i += 10;
                }
                case Format.MARK -> {
                    v.mark(a[i], thread, string(a[i + 1]), a[i + 2]);
                    i += 3;
                }
                case Batch.CHUNK -> thread = a[i++];
                default -> i = cold(kinds[k], a, i, thread);
            }
        }
        this.thread = thread;
        objects = null;
    }

    /** The chunk's time where {@link #visitRun} stopped. */
    long runTime;
    /** A contention's fields, for {@link #visitRun}. */
    private final long[] fields = new long[8];

    /**
     * Decodes the usual records that start between {@code q} and {@code limit} straight to the
     * visitor, as {@link BatchDecoder}'s hotRun() decodes them to entries: the same loop, which
     * calls the visitor where that one stores (keep the two alike: DecodePathsTest and
     * ParallelDecodingTest compare them). Returns where the first other record starts and leaves
     * the chunk's time in {@link #runTime}; {@code time} is the time before {@code q}.
     *
     * <p>On the reading thread, decoding into entries and then replaying them stored and loaded
     * every event and dispatched it twice on its type, which in a log of mixed events is hard to
     * predict: thread CPU per event of the mixed log, batches in memory, into a no-op visitor 17.9
     * ns, straight 9.5; into the analyzer 22.3 and 13.5; start/commit log into the analyzer, 9.8
     * and 5.8.
     */
    int visitRun(byte[] bytes, int q, int to, int limit, long time, long thread) {
        final EventVisitor v = visitor;
        final long[] f = fields;
        long n = 0;
        loop:
        while (q < limit) {
            int size = bytes[q];
            int type = bytes[q + 1];
            int recordEnd = q + 1 + size;
            if (size < 2 || recordEnd > to) break;
            int w = (int) BatchDecoder.INT_LE.get(bytes, q + 2);
            int len = (Integer.numberOfTrailingZeros(~w & 0x80808080) + 1) >>> 3;
            if (len >= size || (len == 4 && w < 0)) break;
            int value = (w & 0x7F) | (w >>> 1 & 0x3F80) | (w >>> 2 & 0x1FC000) | (w >>> 3 & 0xFE00000);
            long t = time + (value & (int) ((1L << 7 * len) - 1));
            int p = q + 2 + len;
            switch (type) {
                case Format.TX_START -> v.txStart(t, thread);
                case Format.TX_COMMIT -> v.txCommit(t, thread);
                case Format.TX_ABORT, Format.WAIT_BEGIN, Format.WAIT_END -> {
                    int code = bytes[p];
                    if (p >= recordEnd || code < 1 || code > (type == Format.TX_ABORT ? 3 : 4)) break loop;
                    if (type == Format.TX_ABORT) v.txAbort(t, thread, CAUSES[code]);
                    else if (type == Format.WAIT_BEGIN) v.waitBegin(t, thread, WAITS[code]);
                    else v.waitEnd(t, thread, WAITS[code]);
                }
                case Format.TX_COMMITS -> {
                    long count = BatchDecoder.field(bytes, p, recordEnd);
                    if (count < 8) break loop;
                    long busy = BatchDecoder.field(bytes, p + ((int) count & 7), recordEnd);
                    if (busy < 0) break loop;
                    v.txCommits(t, thread, count >>> 3, busy >>> 3);
                }
                case Format.MARK -> {
                    long name = BatchDecoder.field(bytes, p, recordEnd);
                    if (name < 0) break loop;
                    long value2 = BatchDecoder.field(bytes, p + ((int) name & 7), recordEnd);
                    if (value2 < 0) break loop;
                    v.mark(t, thread, string(name >>> 3), Bytes.unzigzag(value2 >>> 3));
                }
                case Format.UNTIMED_START -> {
                    long estimated = BatchDecoder.field(bytes, p, recordEnd);
                    if (estimated < 0) break loop;
                    v.event(new UntimedStart(t, thread, estimated >>> 3));
                }
                case Format.CONTENTION -> {
                    int e;
                    if (recordEnd - p < 8 || (e = BatchDecoder.fields(bytes, p, recordEnd, f, 0, 8)) < 0) break loop;
                    long kind = f[0];
                    if (kind < 1 || kind > 3) break loop;
                    long otherNanos = 0; // absent in logs of older writers
                    if (e < recordEnd) {
                        otherNanos = BatchDecoder.field(bytes, e, recordEnd);
                        if (otherNanos < 0) break loop;
                        otherNanos >>>= 3;
                    }
                    long other = f[1] - 1;
                    v.contention(t, thread, KINDS[(int) kind], other < 0 ? Contention.UNKNOWN_THREAD : other,
                            stack(f[2]), stack(f[3]), stack(f[4]), f[5] == 0 ? null : string(f[5]), f[6],
                            (f[7] & 1) != 0, ValueChange.ofCode((int) (f[7] >>> 1)), otherNanos - 1);
                }
                default -> {
                    break loop;
                }
            }
            n++;
            time = t;
            q = recordEnd;
        }
        records += n;
        events += n;
        runTime = time;
        return q;
    }

    /** Replays the entry of {@code kind} whose fields start at {@code a[i]}; returns where the next one's start. */
    private int cold(int kind, long[] a, int i, long thread) {
        switch (kind) {
            case Format.ACCESS_SITE -> {
                visitor.event(new AccessSite(a[i], thread, a[i + 1], ACCESSES[(int) a[i + 2]], stack(a[i + 3])));
                return i + 4;
            }
            case Format.UNTIMED_START -> {
                visitor.event(new UntimedStart(a[i], thread, a[i + 1]));
                return i + 2;
            }
            case Format.INEVITABLE -> {
                visitor.event(new BecomeInevitable(a[i], thread, stack(a[i + 1])));
                return i + 2;
            }
            case Format.GC_PAUSE -> {
                visitor.event(new GcPause(a[i], thread, string(a[i + 1]), a[i + 2]));
                return i + 3;
            }
            case Format.MARKS -> {
                visitor.event(new UserMarks(a[i], thread, string(a[i + 1]), a[i + 2], a[i + 3]));
                return i + 4;
            }
            case Format.THREAD_START -> {
                visitor.event(new ThreadStart(a[i], a[i + 1], (String) nextObject()));
                return i + 2;
            }
            case Format.DATA_LOSS -> {
                damage.eventsLost += a[i + 1];
                visitor.event(new DataLoss(a[i], thread, a[i + 1]));
                return i + 2;
            }
            case Format.STRING -> {
                define(strings, a[i], (String) nextObject());
                return i + 1;
            }
            case Format.FRAME -> {
                String cls = string(a[i + 1]);
                String method = string(a[i + 2]);
                long file = a[i + 3];
                define(frames, a[i], new Frame(cls, method, file == 0 ? null : string(file), (int) a[i + 4] - 1));
                return i + 5;
            }
            case Format.STACK -> {
                long[] ids = (long[]) nextObject();
                List<Frame> list = new ArrayList<>(ids.length);
                for (long id : ids) list.add(frame(id));
                define(stacks, a[i], new Stack(list));
                return i + 1;
            }
            case Format.METADATA -> {
                metadata = (Metadata) nextObject();
                visitor.metadata(metadata);
                return i;
            }
            case Format.TRAILER -> {
                trailer = (Trailer) nextObject();
                return i;
            }
            case Batch.NOTE -> {
                damage.note((String) nextObject());
                return i;
            }
            case Batch.MALFORMED -> {
                damage.malformed(a[i], (String) nextObject());
                return i + 1;
            }
            default -> throw new IllegalStateException("entry kind " + kind);
        }
    }

    private Object nextObject() {
        return objects[object++];
    }

    private <T> void define(Pool<T> pool, long id, T value) {
        if (pool.size < MAX_POOL_ENTRIES || pool.get(id) != null) {
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

    /**
     * A pool: ids are dense from 1 in a well-formed log, so they index an array, grown only
     * while the ids stay dense (a hostile id far ahead cannot make it large); others go to a map.
     */
    private static final class Pool<T> {
        private Object[] dense = new Object[64];
        private Map<Long, T> sparse;
        int size;

        @SuppressWarnings("unchecked")
        T get(long id) {
            if (id >= 0 && id < dense.length) return (T) dense[(int) id];
            return sparse == null ? null : sparse.get(id);
        }

        void put(long id, T value) {
            if (id >= dense.length && id <= MAX_POOL_ENTRIES && id < 2L * (size + 1) + 64) {
                dense = Arrays.copyOf(dense, (int) Math.min(MAX_POOL_ENTRIES + 1, Math.max(id + 1, 2L * dense.length)));
                if (sparse != null) { // what the array now covers moves into it
                    sparse.entrySet().removeIf(e -> {
                        long k = e.getKey();
                        if (k < 0 || k >= dense.length) return false;
                        dense[(int) k] = e.getValue();
                        return true;
                    });
                }
            }
            if (id >= 0 && id < dense.length) {
                if (dense[(int) id] == null) size++;
                dense[(int) id] = value;
            } else {
                if (sparse == null) sparse = new HashMap<>();
                if (sparse.put(id, value) == null) size++;
            }
        }
    }
}
