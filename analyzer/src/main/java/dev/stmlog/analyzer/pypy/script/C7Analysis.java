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

import static dev.stmlog.analyzer.pypy.PypyCodes.C7.*;

/**
 * The C7 script's analysis (analyzer/docs/pypy-compatibility.md#c7-analysis): transaction times per
 * thread, and a conflict table keyed by (event, marker 1, marker 2) whose entries are charged when
 * the contention's outcome is seen — the thread's own abort, the other thread's abort after
 * ABORTING_OTHER_CONTENTION, or a wait.
 */
final class C7Analysis {
    /** The script's "pause after abort" constant, added to a conflict charged by an abort. */
    private static final double PAUSE_AFTER_ABORT = 0.000001;
    private static final int NONE = 0, LOCAL = 1, REMOTE = 2;

    private static final class ThreadState {
        final long number;
        double cpuTime;
        boolean inTx;
        double txStartTs;
        int pendingKind = NONE;
        ConflictTable.Entry pending;
        long pendingOther;
        boolean pauseOpen;
        double pauseStartTs;
        double txPaused;
        long nCommitted;
        long nAborted;

        ThreadState(long number) {
            this.number = number;
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
    private final Map<Long, ThreadState> threads = new HashMap<>();
    private final ThreadState[] dense = new ThreadState[1 << 16];

    private boolean any;
    private double firstTs;
    private double lastTs;

    C7Analysis(boolean strict, PypyWarnings warnings, StderrProgress progress) {
        this.strict = strict;
        this.warnings = warnings;
        this.progress = progress;
    }

    PypyReport run(PypyLogReader r) throws IOException {
        final double reciprocal = 1.0 / r.fileSize();
        while (r.next()) {
            long i = r.index();
            if (i > 0 && (i & (StderrProgress.EVERY - 1)) == 0) progress.progress(r.offsetAfter() * reciprocal);
            double now = r.timestamp();
            if (!any) {
                any = true;
                firstTs = now;
            }
            lastTs = now;
            handle(r, now);
        }
        if (!any) throw new PypyCompatException("Exception", "empty file", -1);
        progress.end();
        return report(r);
    }

    /** The thread's state, or null: C7 creates it only at START. */
    private ThreadState get(long number) {
        return number < dense.length ? dense[(int) number] : threads.get(number);
    }

    private void handle(PypyLogReader r, double now) {
        int event = r.event();
        long number = r.thread();
        ThreadState t = get(number);
        switch (event) {
            case START -> {
                if (t == null) {
                    t = new ThreadState(number);
                    if (number < dense.length) dense[(int) number] = t;
                    threads.put(number, t);
                }
                t.inTx = true; // an unfinished transaction is dropped silently, as the script does
                t.txStartTs = now;
                t.pendingKind = NONE;
                t.pending = null;
                t.pauseOpen = false;
                t.txPaused = 0.0;
            }
            case COMMIT, ABORT -> {
                if (t == null || !t.inTx) return;
                double txTime = (now - t.txStartTs) - t.txPaused;
                if (txTime < 0) {
                    if (strict) {
                        progress.closeLine();
                        throw new PypyCompatException("AssertionError", "", r.offset());
                    }
                    warnings.warn("Q19", "negative transaction time of thread " + t.number + " ending at byte "
                            + r.offset() + " (records out of order); 0 was used");
                    txTime = 0.0;
                }
                t.cpuTime += txTime;
                t.inTx = false;
                t.pauseOpen = false;
                if (event == COMMIT) t.nCommitted++;
                else t.nAborted++;
                if (t.pendingKind != NONE && event == ABORT) {
                    t.pending.aborted += txTime;
                    t.pending.paused += PAUSE_AFTER_ABORT;
                    t.pendingKind = NONE;
                    t.pending = null;
                }
            }
            case WRITE_WRITE, WRITE_READ, INEVITABLE -> {
                int key = conflicts.key(event, r.buffer(), r.marker1Offset(), r.marker1Length(),
                        r.marker2Offset(), r.marker2Length());
                ConflictTable.Entry c = conflicts.charge(key, now);
                if (t != null && t.inTx) {
                    t.pendingKind = LOCAL;
                    t.pending = c;
                    t.pendingOther = r.otherThread();
                }
            }
            case ABORTING_OTHER -> {
                if (t == null || t.pendingKind != LOCAL) return;
                ConflictTable.Entry c = t.pending;
                long other = t.pendingOther; // the contention record's field, not this record's (0)
                t.pendingKind = NONE;
                t.pending = null;
                ThreadState v = get(other);
                if (v != null && v.inTx) {
                    v.pendingKind = REMOTE;
                    v.pending = c;
                    v.pendingOther = other;
                }
            }
            case WAIT_FREE_SEGMENT, WAIT_SYNC_PAUSE, WAIT_CONTENTION -> {
                if (t != null && t.inTx) {
                    t.pauseOpen = true;
                    t.pauseStartTs = now;
                }
            }
            case WAIT_DONE -> {
                if (t != null && t.inTx && t.pauseOpen) {
                    double p = now - t.pauseStartTs;
                    t.txPaused += p;
                    t.pauseOpen = false;
                    if (t.pendingKind == LOCAL) {
                        t.pending.paused += p;
                        t.pendingKind = NONE;
                        t.pending = null;
                    }
                }
            }
            default -> { } // GC events: ignored by the C7 script
        }
    }

    private PypyReport report(PypyLogReader r) {
        List<ThreadState> sorted = new ArrayList<>(threads.values());
        sorted.sort(BY_NUMBER);
        double totalCpu = 0.0;
        long nCommitted = 0, nAborted = 0;
        List<PypyReport.ThreadFigures> perThread = new ArrayList<>();
        for (ThreadState t : sorted) {
            totalCpu += t.cpuTime;
            nCommitted += t.nCommitted;
            nAborted += t.nAborted;
            perThread.add(new PypyReport.ThreadFigures(t.number, t.cpuTime, 0, 0, 0, 0, t.nCommitted, t.nAborted));
        }
        return new PypyReport(PypyGeneration.C7, r.records(), firstTs, lastTs, 0, 0, 0, 0, 0, nCommitted,
                nAborted, totalCpu, 0, List.copyOf(perThread), conflicts.conflicts(PypyGeneration.C7));
    }
}
