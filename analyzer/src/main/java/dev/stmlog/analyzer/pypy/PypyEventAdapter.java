package dev.stmlog.analyzer.pypy;

import dev.stmlog.analyzer.pypy.PypyCodes.C7;
import dev.stmlog.analyzer.pypy.PypyCodes.C8;
import dev.stmlog.format.Damage;
import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogFormatException;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.BecomeInevitable;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.GcPause;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.WaitKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a PyPy-STM log as stmlog events, so every verb and report style works on it
 * (analyzer/docs/pypy-compatibility.md#event-mapping).
 *
 * <p>The mapping (thread numbers become thread ids; times become nanoseconds since the first
 * record, from the exact seconds and nanoseconds):
 * <ul>
 *   <li>START, COMMIT, ABORT → {@code txStart}, {@code txCommit}, {@code txAbort(CONFLICT)};
 *       a thread's first record also gives a {@link ThreadStart} named {@code thread N};</li>
 *   <li>C8 write-read → {@link Contention} WRITE_READ whose victim stack is the marker (which
 *       names the committed writer's location; the victim's read is not recorded, and the
 *       original groups by this marker too);</li>
 *   <li>C7 write-write / write-read / inevitable → {@link Contention} of that kind, marker 1 as
 *       the recording thread's stack, marker 2 as the other side's, {@code other_thread} as the
 *       other thread;</li>
 *   <li>BECOME_INEVITABLE → {@link BecomeInevitable}; a C8 wait for another inevitable
 *       transaction after it (or after a REATTACH, analyzer/docs/pypy-compatibility.md#q5) → a
 *       {@link Contention} INEVITABLE at the transaction's first inevitable location, then the
 *       wait;</li>
 *   <li>waits → {@code waitBegin}/{@code waitEnd}: other-inevitable → INEVITABLE, C7 contention
 *       wait → LOCK, free segment → BACKOFF; sync pauses (a safe point for another thread's
 *       collection or synchronisation), which no wait kind fits, and minor/major collections →
 *       {@link GcPause} ({@code pypy-sync-pause}, {@code pypy-syncing}, {@code pypy-minor},
 *       {@code pypy-major}), given when they end with the time they began;</li>
 *   <li>DETACH, REATTACH and ABORTING_OTHER_CONTENTION carry nothing the model has.</li>
 * </ul>
 * A marker {@code File "x.py", line 10, in f (#34)} becomes the one frame
 * {@code Frame("x.py", "f", "x.py", 10)}; other markers become a frame whose class name is the
 * raw text. Damage does not stop the reading (the reader's non-strict mode); it is reported in
 * the result's {@link Damage}.
 */
public final class PypyEventAdapter {
    private static final long NANOS = 1_000_000_000L;

    private final PypyLogReader reader;
    private final EventVisitor visitor;
    private final boolean c8;
    private final MarkerTable keys = new MarkerTable();
    private final List<Stack> stacks = new ArrayList<>();
    private final Map<Long, PerThread> threads = new HashMap<>();
    private final PerThread[] dense = new PerThread[1 << 16];
    private long sec0;
    private long nsec0;
    private long events;
    private Metadata metadata;

    /** What the adapter remembers of a thread between its records. */
    private static final class PerThread {
        final long id;
        WaitKind openWait; // null = none
        String openPause; // sync pause collector name, null = none
        long pauseStart;
        boolean minorOpen;
        long minorStart;
        boolean majorOpen;
        long majorStart;
        Stack inevStack; // the transaction's first inevitable location, null = none

        PerThread(long id) {
            this.id = id;
        }
    }

    private PypyEventAdapter(PypyLogReader reader, EventVisitor visitor) {
        this.reader = reader;
        this.visitor = visitor;
        this.c8 = reader.generation() == PypyGeneration.C8;
    }

    /**
     * Reads {@code file} (a C7 or C8 log) to {@code visitor}.
     *
     * @param numbering the C8 event numbering ({@code --pypy-events}); null for final
     * @param warn      receives the one-line hint when the file looks like another numbering
     * @throws LogFormatException when the file is not a PyPy-STM log
     */
    public static ReadResult read(Path file, String displayName, C8Numbering numbering, EventVisitor visitor,
                                  java.util.function.Consumer<String> warn) throws IOException {
        PypyWarnings warnings = new PypyWarnings();
        PypyLogReader r;
        try {
            r = PypyLogReader.open(file, displayName, new PypyLogReader.Options(false, numbering, false), warnings);
        } catch (PypyCompatException e) {
            if (e.pythonType().equals("IOError")) throw new IOException(displayName + ": " + e.detail(), e);
            throw new LogFormatException(displayName, 0, "not a PyPy-STM log (no STMGC-C7/C8-PROF01 header)");
        }
        try (r) {
            PypyEventAdapter a = new PypyEventAdapter(r, visitor);
            a.run();
            String hint = r.numberingWarning();
            if (hint != null) warn.accept(hint);
            return a.result(warnings);
        }
    }

    private void run() throws IOException {
        PypyLogReader r = reader;
        boolean first = true;
        while (r.next()) {
            if (first) {
                first = false;
                sec0 = r.sec();
                nsec0 = r.nsec();
                metadata = metadata(r);
                visitor.metadata(metadata);
            }
            // exact integer nanoseconds; C7 clocks may step back between threads, giving earlier times
            long time = (r.sec() - sec0) * NANOS + (r.nsec() - nsec0);
            long id = r.thread();
            PerThread t = id < dense.length ? dense[(int) id] : threads.get(id);
            if (t == null) {
                t = new PerThread(id);
                if (id < dense.length) dense[(int) id] = t;
                else threads.put(id, t);
                emit(new ThreadStart(time, id, "thread " + id));
            }
            if (c8) c8(r, t, time);
            else c7(r, t, time);
        }
    }

    private void c8(PypyLogReader r, PerThread t, long time) {
        switch (r.event()) {
            case C8.START -> {
                endWaits(t, time);
                t.inevStack = null;
                events++;
                visitor.txStart(time, t.id);
            }
            case C8.COMMIT -> {
                endWaits(t, time);
                events++;
                visitor.txCommit(time, t.id);
            }
            case C8.ABORT -> {
                endWaits(t, time); // the writer can end a wait by aborting, without WAIT_DONE
                events++;
                visitor.txAbort(time, t.id, AbortCause.CONFLICT);
            }
            case C8.DETACH -> { }
            case C8.REATTACH -> {
                if (t.inevStack == null) t.inevStack = PypyFrames.REATTACHED;
            }
            case C8.BECOME_INEVITABLE -> {
                Stack s = stack(r, C8.BECOME_INEVITABLE);
                if (t.inevStack == null) t.inevStack = s;
                emit(new BecomeInevitable(time, t.id, s));
            }
            case C8.WRITE_READ -> emit(new Contention(time, t.id, ContentionKind.WRITE_READ,
                    Contention.UNKNOWN_THREAD, stack(r, C8.WRITE_READ), Stack.EMPTY, Stack.EMPTY, null));
            case C8.WAIT_FREE_SEGMENT -> beginWait(t, time, WaitKind.BACKOFF);
            case C8.WAIT_SYNCING -> beginPause(t, time, "pypy-syncing");
            case C8.WAIT_SYNC_PAUSE -> beginPause(t, time, "pypy-sync-pause");
            case C8.WAIT_OTHER_INEVITABLE -> {
                if (t.inevStack != null && t.openWait != WaitKind.INEVITABLE) {
                    emit(new Contention(time, t.id, ContentionKind.INEVITABLE, Contention.UNKNOWN_THREAD,
                            t.inevStack, Stack.EMPTY, Stack.EMPTY, null));
                }
                beginWait(t, time, WaitKind.INEVITABLE);
            }
            case C8.WAIT_DONE -> endWaits(t, time);
            case C8.GC_MINOR_START -> {
                t.minorOpen = true;
                t.minorStart = time;
            }
            case C8.GC_MINOR_DONE -> {
                if (t.minorOpen) emit(new GcPause(t.minorStart, t.id, "pypy-minor", time - t.minorStart));
                t.minorOpen = false;
            }
            case C8.GC_MAJOR_START -> {
                t.majorOpen = true;
                t.majorStart = time;
            }
            case C8.GC_MAJOR_DONE -> {
                if (t.majorOpen) emit(new GcPause(t.majorStart, t.id, "pypy-major", time - t.majorStart));
                t.majorOpen = false;
            }
            default -> { }
        }
    }

    private void c7(PypyLogReader r, PerThread t, long time) {
        switch (r.event()) {
            case C7.START -> {
                endWaits(t, time);
                events++;
                visitor.txStart(time, t.id);
            }
            case C7.COMMIT -> {
                endWaits(t, time);
                events++;
                visitor.txCommit(time, t.id);
            }
            case C7.ABORT -> {
                endWaits(t, time);
                events++;
                visitor.txAbort(time, t.id, AbortCause.CONFLICT);
            }
            case C7.WRITE_WRITE, C7.WRITE_READ, C7.INEVITABLE -> {
                ContentionKind kind = r.event() == C7.WRITE_WRITE ? ContentionKind.WRITE_WRITE
                        : r.event() == C7.WRITE_READ ? ContentionKind.WRITE_READ : ContentionKind.INEVITABLE;
                long other = r.otherThread() == 0 ? Contention.UNKNOWN_THREAD : r.otherThread();
                Stack mine = stackOf(keys.intern(r.event(), r.buffer(), r.marker1Offset(), r.marker1Length(), 0, 0));
                Stack theirs = stackOf(keys.intern(r.event(), r.buffer(), r.marker2Offset(), r.marker2Length(), 0, 0));
                emit(new Contention(time, t.id, kind, other, mine, theirs, Stack.EMPTY, null));
            }
            case C7.WAIT_FREE_SEGMENT -> beginWait(t, time, WaitKind.BACKOFF);
            case C7.WAIT_SYNC_PAUSE -> beginPause(t, time, "pypy-sync-pause");
            case C7.WAIT_CONTENTION -> beginWait(t, time, WaitKind.LOCK);
            case C7.WAIT_DONE -> endWaits(t, time);
            case C7.GC_MINOR_START -> {
                t.minorOpen = true;
                t.minorStart = time;
            }
            case C7.GC_MINOR_DONE -> {
                if (t.minorOpen) emit(new GcPause(t.minorStart, t.id, "pypy-minor", time - t.minorStart));
                t.minorOpen = false;
            }
            case C7.GC_MAJOR_START -> {
                t.majorOpen = true;
                t.majorStart = time;
            }
            case C7.GC_MAJOR_DONE -> {
                if (t.majorOpen) emit(new GcPause(t.majorStart, t.id, "pypy-major", time - t.majorStart));
                t.majorOpen = false;
            }
            default -> { } // ABORTING_OTHER_CONTENTION: who lost is seen at the other thread's ABORT
        }
    }

    /** A new wait; the writer ends a wait of another kind first, so at most one is open. */
    private void beginWait(PerThread t, long time, WaitKind kind) {
        if (t.openWait == kind) return;
        endWaits(t, time);
        t.openWait = kind;
        events++;
        visitor.waitBegin(time, t.id, kind);
    }

    private void beginPause(PerThread t, long time, String collector) {
        if (collector.equals(t.openPause)) return;
        endWaits(t, time);
        t.openPause = collector;
        t.pauseStart = time;
    }

    private void endWaits(PerThread t, long time) {
        if (t.openWait != null) {
            events++;
            visitor.waitEnd(time, t.id, t.openWait);
            t.openWait = null;
        }
        if (t.openPause != null) {
            emit(new GcPause(t.pauseStart, t.id, t.openPause, time - t.pauseStart));
            t.openPause = null;
        }
    }

    private Stack stack(PypyLogReader r, int code) {
        return stackOf(keys.intern(code, r.buffer(), r.marker1Offset(), r.marker1Length(), 0, 0));
    }

    /** The interned key's stack, parsed once per distinct marker. */
    private Stack stackOf(int id) {
        while (stacks.size() <= id) stacks.add(null);
        Stack s = stacks.get(id);
        if (s == null) {
            s = PypyFrames.stack(keys.marker1(id));
            stacks.set(id, s);
        }
        return s;
    }

    private void emit(dev.stmlog.format.event.Event e) {
        events++;
        visitor.event(e);
    }

    private Metadata metadata(PypyLogReader r) {
        Map<String, String> user = new LinkedHashMap<>();
        user.put("source", "pypy-stm");
        user.put("pypy.generation", r.generation().name());
        if (c8) user.put("pypy.events", r.options().numbering().label());
        user.put("pypy.firstTimestamp", PyFormat.fixed(r.timestamp(), 9, 0));
        return new Metadata(0, "", "PyPy-STM (" + r.generation().headerText() + ")", 0, 0, 0, 0, user);
    }

    private ReadResult result(PypyWarnings warnings) {
        PypyLogReader r = reader;
        List<String> notes = new ArrayList<>();
        notes.addAll(warnings.lines());
        notes.addAll(warnings.noteLines());
        long truncatedAt = r.truncatedAt();
        long skipped = r.danglingBytes();
        int regions = 0;
        long malformed = 0;
        if (r.corruptAt() >= 0) {
            skipped += r.fileSize() - r.corruptAt();
            regions = 1;
            malformed = 1;
        }
        if (truncatedAt >= 0) notes.add(0, "truncated at byte " + truncatedAt);
        Damage damage = new Damage(truncatedAt, skipped, regions, 0, malformed, 0, 0, notes);
        return new ReadResult(r.displayName(), r.generation().headerText(), metadata, 0, r.records(), events,
                r.skippedUnknown(), null, damage);
    }
}
