package dev.stmlog.analyzer.pypy.script;

import dev.stmlog.analyzer.pypy.PypyCompatException;
import dev.stmlog.analyzer.pypy.PypyGeneration;
import dev.stmlog.analyzer.pypy.PypyLogReader;
import dev.stmlog.analyzer.pypy.PypyWarnings;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.stmlog.analyzer.pypy.PypyCodes.C8.*;

/**
 * The final C8 script's analysis (analyzer/docs/pypy-compatibility.md#c8-analysis): one pass over
 * the records in file order, a state machine per thread and a conflict table keyed by (event,
 * marker).
 *
 * <p>Every floating-point operation is the script's, in the script's order, so the sums are the
 * same doubles and the printed figures the same digits. Strict mode stops where the script's
 * asserts fail (#c8-failures); otherwise stmlog's answers to quirks Q1–Q3 apply (#quirks), and
 * the accounting is the script's wherever the script would not have failed.
 */
final class C8Analysis {
    private static final int STOP = 0, RUN = 1, PAUSE = 2, DETACHED = 3;
    private static final int DENSE_THREADS = 1 << 16;
    /** Records per batch at most (see {@link #run}): often enough for the JIT to see batches end. */
    private static final int BATCH = 4096;

    /** Per-thread state (#c8-thread-state); the per-transaction fields are reset only at START. */
    private static final class ThreadState {
        final long number;
        int state = STOP;
        double lastTime;
        double txCpu;
        double txPause;
        double txDetached;
        boolean txAborting;
        int inevKey = -1; // txInev's key id, -1 = none
        double inevTs;
        boolean inevWaiting;
        double inevWaitStart;
        boolean txAwaitingFreeSeg;
        boolean minorOpen;
        double minorGcStart;
        boolean majorOpen;
        double majorGcStart;
        double committedCpu;
        double abortedCpu;
        double pausedCpu;
        double minorGc;
        double majorGc;
        long nCommitted;
        long nAborted;

        ThreadState(long number) {
            this.number = number;
        }

        /** ADVANCE (#advance-and-charge): charge the time since the last change to the old state's bucket. */
        void advance(double now, int newState) {
            double delta = now - lastTime;
            switch (state) {
                case RUN -> txCpu += delta;
                case PAUSE -> txPause += delta;
                case DETACHED -> txDetached += delta;
                default -> { }
            }
            state = newState;
            lastTime = now;
        }
    }

    /** Ascending (unsigned 32-bit, so plain long) thread number; a class to spare a lambda bootstrap. */
    private static final java.util.Comparator<ThreadState> BY_NUMBER = new java.util.Comparator<>() {
        @Override
        public int compare(ThreadState a, ThreadState b) {
            return Long.compare(a.number, b.number);
        }
    };

    private final boolean strict;
    private final PypyWarnings warnings;
    private final StderrProgress progress;
    private final ConflictTable conflicts = new ConflictTable();
    private final ThreadState[] dense = new ThreadState[DENSE_THREADS];
    private final Map<Long, ThreadState> sparse = new HashMap<>();
    private final List<ThreadState> all = new ArrayList<>();

    private double firstTs;
    private double lastTs;
    private long doubles;

    C8Analysis(boolean strict, PypyWarnings warnings, StderrProgress progress) {
        this.strict = strict;
        this.warnings = warnings;
        this.progress = progress;
    }

    /** Runs the pass over every record of {@code r}. */
    PypyReport run(PypyLogReader r) throws IOException {
        if (!r.next()) throw new PypyCompatException("Exception", "empty file", -1);
        firstTs = r.timestamp();
        final double reciprocal = 1.0 / r.fileSize();
        long report = StderrProgress.EVERY; // the record the script reports progress before next
        // Records go through in batches that end at that record or sooner, and progress is checked
        // between batches: checked per record, it would be a branch taken once in half a million
        // records, which the JIT compiles as a trap whose first firing recompiles the record loop.
        while (batch(r, Math.min(report, r.index() + BATCH))) {
            if (r.index() == report) {
                progress.progress(r.offsetAfter() * reciprocal);
                report += StderrProgress.EVERY;
            }
        }
        lastTs = r.timestamp(); // the last record's
        progress.end();
        return report(r);
    }

    /**
     * Analyses the current record and those after it until the record of index {@code stop} has
     * been read (it is analysed by the next batch); false when the records ran out first.
     */
    private boolean batch(PypyLogReader r, long stop) throws IOException {
        do {
            double now = r.timestamp();
            ThreadState t = thread(r.thread());
            // transactions and minor collections are nearly all records: kept small here so the
            // JIT inlines them; the rest goes through handle
            int event = r.event();
            if (event == START && t.state == STOP) start(t, now);
            else if (event == COMMIT && !t.txAborting) commit(t, now);
            else if (event == GC_MINOR_START && t.state != DETACHED) minorStart(t, now);
            else if (event == GC_MINOR_DONE) minorDone(t, now);
            else handle(r, t, now);
            if (!r.next()) return false;
        } while (r.index() < stop);
        return true;
    }

    private ThreadState thread(long number) {
        ThreadState t;
        if (number < DENSE_THREADS) {
            t = dense[(int) number];
            if (t == null) {
                t = new ThreadState(number);
                dense[(int) number] = t;
                all.add(t);
            }
        } else {
            t = sparse.get(number);
            if (t == null) {
                t = new ThreadState(number);
                sparse.put(number, t);
                all.add(t);
            }
        }
        return t;
    }

    /**
     * Every record but the common ones {@link #run} takes care of. Kept in one method larger than
     * the JIT's inlining limit (FreqInlineSize, 325 bytes of bytecode) on purpose: the record loop
     * then compiles without it, small and fast; inlined, it made that compilation several times
     * longer, and a 3-million-record log ran most of its time in unoptimised code meanwhile.
     */
    private void handle(PypyLogReader r, ThreadState t, double now) {
        switch (r.event()) {
            case START -> {
                if (t.state != STOP) {
                    if (strict) fail(r);
                    warnings.warn("Q1", "START of thread " + t.number + " at byte " + r.offset()
                            + " while its previous transaction was not finished; that one was dropped");
                    t.state = STOP;
                }
                start(t, now);
            }
            case COMMIT -> {
                if (t.txAborting) {
                    if (strict) fail(r);
                    warnings.warn("Q2", "COMMIT of thread " + t.number + " at byte " + r.offset()
                            + " after a write-read conflict in the same transaction; counted as committed");
                }
                commit(t, now);
            }
            case ABORT -> {
                t.advance(now, STOP);
                t.abortedCpu += t.txCpu;
                t.pausedCpu += t.txPause;
                t.nAborted++;
            }
            case DETACH -> t.advance(now, DETACHED);
            case REATTACH, BECOME_INEVITABLE -> {
                // the script handles REATTACH as becoming inevitable again (quirk Q5)
                t.advance(now, RUN);
                if (t.inevKey < 0) {
                    t.inevKey = conflicts.key(r.event(), r.buffer(), r.marker1Offset(), r.marker1Length(), 0, 0);
                    t.inevTs = now;
                    t.inevWaiting = false;
                }
            }
            case WRITE_READ -> writeRead(r, t, now);
            case WAIT_FREE_SEGMENT -> {
                t.txAwaitingFreeSeg = true;
                t.advance(now, PAUSE);
            }
            case WAIT_SYNCING, WAIT_SYNC_PAUSE -> t.advance(now, PAUSE);
            case WAIT_OTHER_INEVITABLE -> {
                t.advance(now, PAUSE);
                if (t.inevKey >= 0) {
                    t.inevWaiting = true;
                    t.inevWaitStart = now;
                }
            }
            case WAIT_DONE -> {
                if (t.txAwaitingFreeSeg) {
                    t.advance(now, STOP);
                    t.txAwaitingFreeSeg = false;
                } else {
                    t.advance(now, RUN);
                }
                if (t.inevKey >= 0 && t.inevWaiting) {
                    double w = now - t.inevWaitStart;
                    ConflictTable.Entry c = conflicts.charge(t.inevKey, t.inevTs);
                    c.paused += w;
                    t.inevWaiting = false;
                }
            }
            case GC_MINOR_START -> {
                if (t.state == DETACHED) t.advance(now, RUN); // the script's JIT workaround
                minorStart(t, now);
            }
            case GC_MINOR_DONE -> minorDone(t, now);
            case GC_MAJOR_START -> {
                t.majorOpen = true;
                t.majorGcStart = now;
            }
            case GC_MAJOR_DONE -> {
                if (t.majorOpen) {
                    t.majorGc += now - t.majorGcStart;
                    t.majorOpen = false;
                }
            }
            default -> throw new IllegalStateException("event " + r.event());
        }
    }

    private static void start(ThreadState t, double now) {
        t.txCpu = 0.0;
        t.txPause = 0.0;
        t.txDetached = 0.0;
        t.txAborting = false;
        t.inevKey = -1;
        t.inevWaiting = false;
        t.txAwaitingFreeSeg = false;
        t.minorOpen = false;
        t.advance(now, RUN);
    }

    private static void commit(ThreadState t, double now) {
        t.advance(now, STOP);
        t.committedCpu += t.txCpu;
        t.pausedCpu += t.txPause;
        t.nCommitted++;
    }

    private static void minorStart(ThreadState t, double now) {
        t.minorOpen = true;
        t.minorGcStart = now;
    }

    private static void minorDone(ThreadState t, double now) {
        if (t.minorOpen) {
            t.minorGc += now - t.minorGcStart;
            t.minorOpen = false;
        }
    }

    private void writeRead(PypyLogReader r, ThreadState t, double now) {
        if (t.txAborting) {
            doubles++;
            progress.note("note: double STM_CONTENTION_WRITE_READ");
            return;
        }
        int key = conflicts.key(WRITE_READ, r.buffer(), r.marker1Offset(), r.marker1Length(), 0, 0);
        if (!strict && t.state == STOP) {
            // Q3: the script would charge the previous transaction's figures a second time
            warnings.warn("Q3", "write-read conflict of thread " + t.number + " at byte " + r.offset()
                    + " outside a transaction; counted, not charged");
            conflicts.charge(key, now);
            return;
        }
        t.txAborting = true;
        ConflictTable.Entry c = conflicts.charge(key, now); // created and counted before the ADVANCE, as the script does
        t.advance(now, RUN);
        c.aborted += t.txCpu;
        c.paused += t.txPause;
    }

    private void fail(PypyLogReader r) {
        progress.closeLine();
        throw new PypyCompatException("AssertionError", "", r.offset());
    }

    private PypyReport report(PypyLogReader r) {
        List<ThreadState> threads = new ArrayList<>(all);
        threads.sort(BY_NUMBER); // ascending, as CPython's dict (#ranking, Q22)
        double committed = 0.0, aborted = 0.0, paused = 0.0, minor = 0.0, major = 0.0;
        long nCommitted = 0, nAborted = 0;
        List<PypyReport.ThreadFigures> perThread = new ArrayList<>();
        for (ThreadState t : threads) {
            committed += t.committedCpu;
            aborted += t.abortedCpu;
            paused += t.pausedCpu;
            minor += t.minorGc;
            major += t.majorGc;
            nCommitted += t.nCommitted;
            nAborted += t.nAborted;
            perThread.add(new PypyReport.ThreadFigures(t.number, t.committedCpu, t.abortedCpu, t.pausedCpu,
                    t.minorGc, t.majorGc, t.nCommitted, t.nAborted));
        }
        return new PypyReport(PypyGeneration.C8, r.records(), firstTs, lastTs, committed, aborted, paused,
                minor, major, nCommitted, nAborted, 0.0, doubles, List.copyOf(perThread),
                conflicts.conflicts(PypyGeneration.C8));
    }
}
