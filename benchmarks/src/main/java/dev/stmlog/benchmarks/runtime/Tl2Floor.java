package dev.stmlog.benchmarks.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor of stmlog's algorithm (TL2: a global clock, a lock word per cell, a read set and a
 * write set), for one thread: a transfer's steps hand-written on cells of its own, without what
 * the runtime adds around them (finding the thread's transaction, its state, de-duplicating
 * reads, looking up the write set, counters, inevitability, recording). A check that would need
 * a conflict's handling (a locked cell, a newer version) throws instead: run it on one thread.
 * What a {@code TLong} transfer costs above this is the runtime's bookkeeping (issue #16).
 */
final class Tl2Floor implements Bank {
    private static final VarHandle WORD;
    private static final VarHandle VALUE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WORD = l.findVarHandle(Cell.class, "word", long.class);
            VALUE = l.findVarHandle(Cell.class, "value", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A TLong's fields: the lock word (version, or locked when negative) and the value. */
    static final class Cell {
        volatile long word;
        long value;

        Cell(long value) {
            this.value = value;
        }
    }

    private final AtomicLong clock = new AtomicLong();
    private final Cell[] cells;
    private Cell[] reads = new Cell[32];
    private int readCount;
    private Cell[] writes = new Cell[16];
    private long[] written = new long[16];
    private int writeCount;
    private long readVersion;

    Tl2Floor(int n, long initial) {
        cells = new Cell[n];
        for (int i = 0; i < n; i++) cells[i] = new Cell(initial);
    }

    @Override
    public void transfer(int from, int to, long amount) {
        Cell a = cells[from];
        Cell b = cells[to];
        readVersion = clock.get() >>> 1;
        write(a, read(a) - amount);
        write(b, read(b) + amount);
        commit();
    }

    private long read(Cell c) {
        long w1 = c.word;
        long v = (long) VALUE.getAcquire(c);
        long w2 = c.word;
        if (w1 != w2 || w1 < 0 || w1 > readVersion) throw new IllegalStateException("not in the snapshot: one thread only");
        reads[readCount++] = c;
        return v;
    }

    private void write(Cell c, long v) {
        writes[writeCount] = c;
        written[writeCount++] = v;
    }

    private void commit() {
        for (int i = 0; i < writeCount; i++) {
            Cell c = writes[i];
            long w = c.word;
            if (w < 0 || !WORD.compareAndSet(c, w, w | Long.MIN_VALUE)) throw new IllegalStateException("locked: one thread only");
        }
        long wv = (clock.getAndAdd(2) >>> 1) + 1;
        if (wv != readVersion + 1) throw new IllegalStateException("would validate: one thread only");
        for (int i = 0; i < writeCount; i++) {
            Cell c = writes[i];
            VALUE.setRelease(c, written[i]);
            WORD.setRelease(c, wv);
        }
        for (int i = 0; i < readCount; i++) reads[i] = null;
        for (int i = 0; i < writeCount; i++) writes[i] = null;
        readCount = 0;
        writeCount = 0;
    }

    @Override
    public long total() {
        long sum = 0;
        for (Cell c : cells) sum += c.value;
        return sum;
    }
}
