package dev.stmlog.format;

import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.BecomeInevitable;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.DataLoss;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.GcPause;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxCommits;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.UntimedStart;
import dev.stmlog.format.event.UserMark;
import dev.stmlog.format.event.UserMarks;
import dev.stmlog.format.event.WaitBegin;
import dev.stmlog.format.event.WaitEnd;
import dev.stmlog.format.event.ValueChange;
import dev.stmlog.format.event.WaitKind;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.nio.ByteOrder;

/**
 * One thread's event buffer. Only its owner writes events, with no lock and no atomic
 * instruction: it appends a record and publishes the new end with a release store. The buffer
 * is handed to the flusher when full; the flusher may also take what has been published so
 * far (every flush interval), under this object's monitor, which the owner only takes when
 * its buffer is full. So a crash loses at most one flush interval of events.
 *
 * <p>Times are {@code System.nanoTime()} values; they are stored as deltas from the thread's
 * previous record, and a time earlier than the previous one is recorded as equal to it.
 */
public final class ThreadWriter {
    private static final VarHandle POS;
    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    static {
        try {
            POS = MethodHandles.lookup().findVarHandle(ThreadWriter.class, "pos", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The longest hot record: size, type, a 10-byte delta and a 1-byte code. */
    private static final int MAX_HOT_RECORD = 13;

    private final LogWriter log;
    private final long threadId;
    private final long origin;
    private final WeakReference<Thread> owner;
    private final int capacity;

    // Written by the owner only; the array is swapped under the monitor.
    private byte[] buf;
    @SuppressWarnings("unused") // accessed through POS
    private int pos;
    private long last;

    // Guarded by this: where the flusher's last take ended, and the time at that point.
    private int flushedPos;
    private long flushedTime;

    ThreadWriter(LogWriter log, long threadId, Thread owner, int capacity) {
        this.log = log;
        this.threadId = threadId;
        this.origin = log.originNanoTime();
        this.owner = owner == null ? null : new WeakReference<>(owner);
        this.capacity = capacity;
        this.buf = new byte[capacity];
    }

    /** The thread id this writer's chunks carry. */
    public long threadId() {
        return threadId;
    }

    /**
     * The {@code System.nanoTime()} of the last record written, for a caller that writes this
     * thread's late events through another writer and must not go back in time. Read from
     * another thread, it is only as fresh as that thread's synchronization with the owner.
     */
    public long lastNanoTime() {
        return origin + last;
    }

    public void txStart(long nanoTime) {
        hot(Format.TX_START, nanoTime);
    }

    public void txCommit(long nanoTime) {
        hot(Format.TX_COMMIT, nanoTime);
    }

    /** {@code count} transactions started and committed, the last ending at {@code nanoTime}. */
    public void txCommits(long nanoTime, long count, long busyNanos) {
        twoFields(Format.TX_COMMITS, nanoTime, count, Math.max(0, busyNanos));
    }

    public void txAbort(long nanoTime, AbortCause cause) {
        hot(Format.TX_ABORT, nanoTime, cause.code());
    }

    public void waitBegin(long nanoTime, WaitKind kind) {
        hot(Format.WAIT_BEGIN, nanoTime, kind.code());
    }

    public void waitEnd(long nanoTime, WaitKind kind) {
        hot(Format.WAIT_END, nanoTime, kind.code());
    }

    /**
     * A conflict that hit this thread.
     *
     * @param otherThread the other side's thread id, or {@link Contention#UNKNOWN_THREAD}
     * @param victimStack, otherStack, readStack ids from {@link LogWriter#stack}, 0 for none
     * @param label       id from {@link LogWriter#string}, 0 for none
     */
    public void contention(long nanoTime, ContentionKind kind, long otherThread,
                           int victimStack, int otherStack, int readStack, int label) {
        contention(nanoTime, kind, otherThread, victimStack, otherStack, readStack, label, 0, false);
    }

    /**
     * A contention naming its Ref ({@code ref}, 0 for none: the id that {@link #accessSite}
     * uses) and whether {@code victimStack} is only where the transaction was entered.
     */
    public void contention(long nanoTime, ContentionKind kind, long otherThread,
                           int victimStack, int otherStack, int readStack, int label, long ref, boolean victimAtEntry) {
        contention(nanoTime, kind, otherThread, victimStack, otherStack, readStack, label, ref, victimAtEntry,
                ValueChange.NOT_KNOWN, Contention.UNKNOWN_NANOS);
    }

    /**
     * A contention with what the victim learnt of the other side's last commit of the Ref: what
     * it did to the value ({@code otherChange}) and how long its attempt ran ({@code otherNanos},
     * {@link Contention#UNKNOWN_NANOS} when unknown).
     */
    public void contention(long nanoTime, ContentionKind kind, long otherThread, int victimStack, int otherStack,
                           int readStack, int label, long ref, boolean victimAtEntry, ValueChange otherChange,
                           long otherNanos) {
        int p = reserve(90);
        long d = delta(nanoTime);
        byte[] b = buf;
        int q = p + 1;
        b[q++] = (byte) Format.CONTENTION;
        q = Bytes.putVarint(b, q, d);
        b[q++] = (byte) kind.code();
        q = Bytes.putVarint(b, q, otherThread < 0 ? 0 : otherThread + 1);
        q = Bytes.putVarint(b, q, victimStack);
        q = Bytes.putVarint(b, q, otherStack);
        q = Bytes.putVarint(b, q, readStack);
        q = Bytes.putVarint(b, q, label);
        q = Bytes.putVarint(b, q, ref);
        q = Bytes.putVarint(b, q, (victimAtEntry ? 1 : 0) | otherChange.code() << 1);
        q = Bytes.putVarint(b, q, otherNanos < 0 ? 0 : otherNanos + 1);
        finish(p, q);
    }

    /** Where this thread read or wrote the contended Ref {@code ref} (a stack pool id). */
    public void accessSite(long nanoTime, long ref, AccessKind access, int stack) {
        int p = reserve(48);
        long d = delta(nanoTime);
        byte[] b = buf;
        int q = p + 1;
        b[q++] = (byte) Format.ACCESS_SITE;
        q = Bytes.putVarint(b, q, d);
        q = Bytes.putVarint(b, q, ref);
        b[q++] = (byte) access.code();
        q = Bytes.putVarint(b, q, stack);
        finish(p, q);
    }

    /** The attempt just started was not timed from its start (see {@link UntimedStart}). */
    public void untimedStart(long nanoTime, long estimatedNanos) {
        oneField(Format.UNTIMED_START, nanoTime, Math.max(0, estimatedNanos));
    }

    public void becomeInevitable(long nanoTime, int stack) {
        oneField(Format.INEVITABLE, nanoTime, stack);
    }

    public void gcPause(long nanoTime, String collector, long durationNanos) {
        twoFields(Format.GC_PAUSE, nanoTime, log.string(collector), Math.max(0, durationNanos));
    }

    /** Names a thread; writers made by {@link LogWriter#forCurrentThread()} do it themselves. */
    public void threadStart(long nanoTime, long thread, String name) {
        byte[] utf8 = Bytes.utf8(name, Format.MAX_STRING_BYTES);
        int p = reserve(40 + utf8.length);
        long d = delta(nanoTime);
        byte[] b = buf;
        int q = p + 1;
        b[q++] = (byte) Format.THREAD_START;
        q = Bytes.putVarint(b, q, d);
        q = Bytes.putVarint(b, q, thread);
        q = Bytes.putVarint(b, q, utf8.length);
        System.arraycopy(utf8, 0, b, q, utf8.length);
        finish(p, q + utf8.length);
    }

    /** An application mark; {@code name} is an id from {@link LogWriter#string}. */
    public void mark(long nanoTime, int name, long value) {
        twoFields(Format.MARK, nanoTime, name, Bytes.zigzag(value));
    }

    public void mark(long nanoTime, String name, long value) {
        mark(nanoTime, log.string(name), value);
    }

    /**
     * {@code count} (at least 1) application marks of {@code name}, an id from
     * {@link LogWriter#string}, made since the thread's previous such record and summing to
     * {@code sum}.
     */
    public void marks(long nanoTime, int name, long count, long sum) {
        int p = reserve(48);
        long d = delta(nanoTime);
        byte[] b = buf;
        int q = p + 1;
        b[q++] = (byte) Format.MARKS;
        q = Bytes.putVarint(b, q, d);
        q = Bytes.putVarint(b, q, name);
        q = Bytes.putVarint(b, q, count);
        q = Bytes.putVarint(b, q, Bytes.zigzag(sum));
        finish(p, q);
    }

    void dataLoss(long nanoTime, long count) {
        int p = reserve(32);
        long d = delta(nanoTime);
        byte[] b = buf;
        int q = p + 1;
        b[q++] = (byte) Format.DATA_LOSS;
        q = Bytes.putVarint(b, q, d);
        q = Bytes.putVarint(b, q, count);
        finish(p, q);
    }

    /**
     * Writes a model event, interning its strings and stacks: for tools and tests that build
     * logs from events. Its time counts from the recording's origin; its thread must be this
     * writer's (a {@link ThreadStart} may name any thread).
     */
    public void write(Event e) {
        if (!(e instanceof ThreadStart) && e.thread() != threadId) {
            throw new IllegalArgumentException("event of thread " + e.thread() + " written to thread " + threadId);
        }
        long t = origin + e.time();
        if (e instanceof TxStart) txStart(t);
        else if (e instanceof TxCommit) txCommit(t);
        else if (e instanceof TxCommits c) txCommits(t, c.count(), c.busyNanos());
        else if (e instanceof TxAbort a) txAbort(t, a.cause());
        else if (e instanceof WaitBegin w) waitBegin(t, w.kind());
        else if (e instanceof WaitEnd w) waitEnd(t, w.kind());
        else if (e instanceof Contention c) {
            contention(t, c.kind(), c.otherThread(), log.stack(c.victimStack().frames()),
                    log.stack(c.otherStack().frames()), log.stack(c.readStack().frames()),
                    c.label() == null ? 0 : log.string(c.label()), c.ref(), c.victimAtEntry(), c.otherChange(),
                    c.otherNanos());
        } else if (e instanceof BecomeInevitable i) becomeInevitable(t, log.stack(i.stack().frames()));
        else if (e instanceof GcPause g) gcPause(t, g.collector(), g.durationNanos());
        else if (e instanceof ThreadStart s) threadStart(t, s.thread(), s.name());
        else if (e instanceof UserMark m) mark(t, m.name(), m.value());
        else if (e instanceof UserMarks m) marks(t, log.string(m.name()), m.count(), m.sum());
        else if (e instanceof DataLoss l) dataLoss(t, l.count());
        else if (e instanceof AccessSite a) accessSite(t, a.ref(), a.access(), log.stack(a.stack().frames()));
        else if (e instanceof UntimedStart u) untimedStart(t, u.estimatedNanos());
        else throw new AssertionError(e);
    }

    // ---------------------------------------------------------------- the hot path

    private long delta(long nanoTime) {
        long t = nanoTime - origin;
        long d = t - last;
        if (d < 0) return 0;
        last = t;
        return d;
    }

    private void hot(int type, long nanoTime) {
        int p = (int) POS.get(this);
        if (p > capacity - MAX_HOT_RECORD) p = seal();
        long d = delta(nanoTime); // after seal(): a new chunk's base time is the previous record's
        byte[] b = buf;
        // One int store writes size, type and a delta of up to two bytes; a fourth byte past
        // the record is never published and the next record overwrites it.
        if (d < 0x80) {
            INT_LE.set(b, p, 2 | type << 8 | (int) d << 16);
            p += 3;
        } else if (d < 0x4000) {
            INT_LE.set(b, p, 3 | type << 8 | ((int) d & 0x7F | 0x80) << 16 | (int) d >>> 7 << 24);
            p += 4;
        } else {
            b[p] = (byte) (1 + Bytes.varintLength(d));
            b[p + 1] = (byte) type;
            p = Bytes.putVarint(b, p + 2, d);
        }
        POS.setRelease(this, p);
    }

    private void hot(int type, long nanoTime, int code) {
        int p = (int) POS.get(this);
        if (p > capacity - MAX_HOT_RECORD) p = seal();
        long d = delta(nanoTime); // after seal(): a new chunk's base time is the previous record's
        byte[] b = buf;
        b[p] = (byte) (2 + Bytes.varintLength(d));
        b[p + 1] = (byte) type;
        p = Bytes.putVarint(b, p + 2, d);
        b[p++] = (byte) code;
        POS.setRelease(this, p);
    }

    /** A timed record whose body is one varint. */
    private void oneField(int type, long nanoTime, long field) {
        fields(type, nanoTime, field, 0, 1);
    }

    /** A timed record whose body is two varints (unsigned: zigzag a signed one first). */
    private void twoFields(int type, long nanoTime, long first, long second) {
        fields(type, nanoTime, first, second, 2);
    }

    private void fields(int type, long nanoTime, long first, long second, int count) {
        int p = reserve(32);
        long d = delta(nanoTime);
        byte[] b = buf;
        int q = p + 1;
        b[q++] = (byte) type;
        q = Bytes.putVarint(b, q, d);
        q = Bytes.putVarint(b, q, first);
        if (count == 2) q = Bytes.putVarint(b, q, second);
        finish(p, q);
    }

    /** Where a record of at most {@code max} bytes (size varint included) starts. */
    private int reserve(int max) {
        int p = (int) POS.get(this);
        return p + max + 3 > capacity ? seal() : p;
    }

    /**
     * Ends a record whose type and body were written at {@code p + 1 .. q}: writes its size in
     * front, moving the body when the size needs more than one byte, and publishes it.
     */
    private void finish(int p, int q) {
        byte[] b = buf;
        int size = q - p - 1;
        if (size < 0x80) {
            b[p] = (byte) size;
        } else {
            int n = Bytes.varintLength(size);
            System.arraycopy(b, p + 1, b, p + n, size);
            Bytes.putVarint(b, p, size);
            q = p + n + size;
        }
        POS.setRelease(this, q);
    }

    /** Hands the full buffer to the flusher and starts an empty one; returns the new position. */
    private int seal() {
        synchronized (this) {
            int p = (int) POS.get(this);
            if (p > flushedPos) log.enqueue(new PendingChunk(threadId, flushedTime, buf, flushedPos, p));
            buf = new byte[capacity];
            flushedPos = 0;
            flushedTime = last;
            POS.setRelease(this, 0);
        }
        log.awaitRoom(); // outside the monitor: the flusher takes it
        return 0;
    }

    /**
     * The flusher's periodic take: queues what the owner has published since the last take.
     * The bytes stay in the owner's array; the owner never rewrites published bytes.
     */
    synchronized void takePublished() {
        int p = (int) POS.getAcquire(this);
        if (p == flushedPos) return;
        long end = Records.endTime(buf, flushedPos, p, flushedTime);
        log.enqueue(new PendingChunk(threadId, flushedTime, buf, flushedPos, p));
        flushedPos = p;
        flushedTime = end;
    }

    /** True when the owner thread has ended and everything it wrote has been taken. */
    synchronized boolean isFinished() {
        if (owner == null) return false;
        Thread t = owner.get();
        return (t == null || !t.isAlive()) && (int) POS.getAcquire(this) == flushedPos;
    }
}
