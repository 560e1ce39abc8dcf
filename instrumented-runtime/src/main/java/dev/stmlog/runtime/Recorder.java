package dev.stmlog.runtime;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.RecorderEnvironment;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.WriteSummary;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.Metadata;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records the STM's events into a stmlog file when the {@code STM_LOG} environment variable
 * names one (see the module README for the variables).
 *
 * <p>Every call site in the core is guarded by {@code if (Recorder.ENABLED)}. {@link #ENABLED}
 * is a {@code static final} set once, when this class initializes, so with {@code STM_LOG}
 * unset (or unwritable) the JIT removes the guarded calls: the hot path does no recording
 * work at all.
 *
 * <p>Conflict classification (what the aborting transaction was doing when it lost):
 * <ul>
 *   <li>{@link ConflictKind#WRITE_WRITE}: acquiring the write lock of a Ref it writes, the lock
 *       was held by another (committing) transaction for too long;</li>
 *   <li>{@link ConflictKind#WRITE_READ}: a Ref it read was changed, or was being written back,
 *       by another transaction (detected on read, on read-version extension or at commit-time
 *       validation);</li>
 *   <li>{@link ConflictKind#INEVITABLE}: it had to wait for an inevitable transaction (to
 *       commit, or to become inevitable itself), or was invalid after such a wait.</li>
 * </ul>
 *
 * <p>Where each conflict happened — the victim's access and the other side's write, as stacks
 * taken only where conflicts are — is each thread's {@link ConflictSites}.
 *
 * <p>Time costs too: a transaction can be as short as two {@code System.nanoTime()} calls and
 * two records, and even a few loads and stores per transaction measured 5–7% of a 50 ns one.
 * So a first attempt that commits with nothing else to record costs nothing but the test of
 * {@code Txn.recorderAttention} at its commit: the STM's own commit counter counts it, and the
 * {@link CoarseClock}'s thread times it by sampling, adding each tick to the busy time of every
 * thread it finds in such an attempt ({@link #sample}). At each tick it also sets the attention
 * of each thread that has committed since, which then writes its count and busy time as one
 * COMMITS record at its next commit. An attempt in which something is recorded (a contention,
 * a wait, becoming inevitable, an abort) gets its TX_START written first, then its events and
 * its end with exact times. Re-runs after an abort are timed exactly from the end of the abort
 * or of the wait after it: where aborts are frequent, most aborted attempts are re-runs, and
 * their single durations matter; and for a while after each of its conflicts a thread times
 * its attempts from their start ({@link #TIMED_AFTER_CONFLICT}).
 */
final class Recorder {

    private static final LogWriter LOG;
    private static final int DEPTH;

    // What a thread's recorder knows of its attempt (ThreadLog.state), kept without any work on
    // the common path: QUIET, a first attempt with nothing written, or no attempt after one
    // that ended quietly or was rolled back; RERUN, an attempt after a conflict or a retry, or
    // the wait before it, nothing written (timed exactly from rerunStart); WRITTEN, an attempt
    // with its TX_START in the log, so its end must be written too.
    private static final int QUIET = 0;
    private static final int RERUN = 1;
    private static final int WRITTEN = 2;

    /** {@code Txn.recorderAttention}, set by the clock thread, cleared by the owner. */
    private static final VarHandle ATTENTION;

    /** {@code Txn.markCounts}: opened by the owner, closed by the clock thread and timed marks. */
    private static final VarHandle MARK_COUNTS;

    /**
     * What the clock thread calls at each tick: {@link #sample}. Package-private so that a test
     * can inject a failing sampler (a recorder bug), which must stop recording with one line.
     */
    static volatile CoarseClock.TickListener sampler = Recorder::sample;

    /** Compile-time-like constant: with recording off, guarded call sites vanish. */
    static final boolean ENABLED;

    /**
     * {@code STM_LOG_TIMING=exact}: every attempt is timed with {@code nanoTime()} at its start
     * and commit, the reference that the default, sampled timing is measured against (it costs
     * two clock reads and a few stores per transaction: see the module README).
     */
    static final boolean EXACT;

    /**
     * Every recording thread's state, for the counts not yet written when a thread ends or the
     * log closes. Guarded by itself when written from another thread than the owner.
     */
    private static final Set<ThreadLog> THREADS = ConcurrentHashMap.newKeySet();

    static {
        String target = System.getenv("STM_LOG");
        LogWriter log = null;
        Path path = null;
        int depth = 8;
        boolean exact = false;
        if (target != null && !target.isBlank()) {
            depth = RecorderEnvironment.intSetting("STM_LOG_DEPTH", 8);
            exact = exactTiming();
            Map<String, String> user = RecorderEnvironment.userMetadata();
            user.put("timing", exact ? "exact" : "sampled"); // the analyzer reads it
            Metadata metadata = Metadata.ofThisJvm(RecorderEnvironment.intSetting("STM_THREADS", 0), user);
            path = RecorderEnvironment.logPath(target, metadata.pid(), Instant.now());
            try {
                log = LogWriter.open(path, metadata, WriterOptions.defaults()
                        .withMaxBytes(RecorderEnvironment.longSetting("STM_LOG_MAX_BYTES", WriterOptions.DEFAULT_MAX_BYTES))
                        .withCloseOnShutdown(false));
            } catch (IOException | RuntimeException e) {
                System.err.println("stmlog: cannot record to " + path + " (" + describe(e) + "); recording disabled");
            }
        }
        LOG = log;
        DEPTH = depth;
        ENABLED = log != null;
        EXACT = ENABLED && exact;
        try {
            ATTENTION = MethodHandles.lookup().findVarHandle(Txn.class, "recorderAttention", boolean.class);
            MARK_COUNTS = MethodHandles.lookup().findVarHandle(Txn.class, "markCounts", long[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        if (ENABLED) {
            GcPauses.install(log);
            CoarseClock.start((now, dt) -> sampler.tick(now, dt), Recorder::writeEndedThreadsBatches, Recorder::clockFailed);
            Runtime.getRuntime().addShutdownHook(new Thread(Recorder::close, "stmlog-close"));
        }
    }

    private Recorder() {
    }

    /** An exception's message, or its class's name when it has none (never "null"). */
    private static String describe(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }

    /** False once the log has been closed (at exit, or after a recorder failure). */
    static boolean isRecording() {
        return LOG != null && LOG.isRecording();
    }

    /**
     * The clock thread's sampling or housekeeping threw: a recorder bug. Sampling on would
     * leave the busy times wrong from then on, so the log is closed cleanly (what was recorded
     * until then, the threads' counts, a trailer) and one line says why; later events are
     * dropped, and the line at exit says how many the log holds.
     */
    private static void clockFailed(Throwable e) {
        StackTraceElement[] at = e.getStackTrace();
        System.err.println("stmlog: recording stopped: the recorder failed (" + e + (at.length > 0 ? " at " + at[0] : "")
                + "); " + LOG.name() + " keeps what was recorded until then");
        writeAllBatchesAndClose();
    }

    /** Why an attempt ended without committing. */
    enum AbortReason {
        /** Lost a conflict; the transaction is re-run. */
        CONFLICT,
        /** {@link Stm#retry()}: the transaction blocks until something it read changes. */
        RETRY,
        /**
         * {@link Stm#retry()} in a {@link TransactionQueue} task: the task is set aside and runs
         * again later as a new transaction, maybe on another worker; this thread's is over.
         */
        RETRY_SET_ASIDE,
        /** The user code threw: rolled back, exception propagated, no re-run. */
        EXCEPTION
    }

    /** The kind of a conflict, see the class comment. */
    enum ConflictKind {
        WRITE_WRITE, WRITE_READ, INEVITABLE
    }

    /** What a transaction is waiting for between {@link #waitBegin} and {@link #waitEnd}. */
    enum WaitKind {
        /** For the inevitable token (to become inevitable, or to commit writes). */
        INEVITABLE,
        /** For the write lock of a Ref to be released. */
        LOCK,
        /** Randomized backoff after a conflict. */
        BACKOFF,
        /** Blocked in {@link Stm#retry()} until a Ref it read changes. */
        RETRY
    }

    /**
     * A thread's recording state, held by its {@link Txn}. Most fields belong to the owner
     * thread; those under "the clock's" are written by the clock thread's {@link #sample}.
     */
    static final class ThreadLog {

        final ThreadWriter writer;
        private final Txn tx;

        /** See {@link #QUIET}. */
        private int state;
        /** When the {@link #RERUN} started: the end of the abort, or of the wait after it. */
        private long rerunStart;

        // Committed attempts not yet written (one COMMITS record). How many: the thread's commit
        // count, which the STM keeps anyway, minus those already written. How long: the clock's
        // samples of quiet first attempts, less those of attempts written since, plus exact re-runs.
        private long commitsWritten;
        private long sampledWritten;
        private long sampledUncounted;
        private long rerunsBusy;
        /** The clock's tick at the last batch written: a batch covers about one tick. */
        private long batchTick;

        // The clock's (see sample()): the quiet-attempt time it has seen, in all and in the
        // attempt it saw last (transaction serialSeen), and the commit count at its last look.
        private volatile long sampledBusy;
        private volatile long serialSeen;
        private volatile long sampledInAttempt;
        private long commitsSeen;
        private long commitsSeenAt;

        /**
         * When the current attempt started: in exact mode always; in the default timing while
         * {@link #timedAttempts} lasts, for the attempt {@code timedAttempt} of transaction
         * {@code timedSerial}. And exact mode's quiet commits' time not yet written.
         */
        private long attemptStart;
        /** The TX_START written for the current attempt ({@link #WRITTEN}), when exact; else -1. */
        private long writtenStart = -1;
        private int timedAttempts;
        private long timedSerial = -1;
        private int timedAttempt;
        private long exactBusy;
        /** Where this thread's conflicts happened. */
        final ConflictSites conflicts;
        /** Marks counted, not written yet: they go with the batch. */
        final PendingMarks marks = new PendingMarks();

        ThreadLog(ThreadWriter writer, Txn tx) {
            this.writer = writer;
            this.tx = tx;
            this.conflicts = new ConflictSites(this, LOG, DEPTH);
        }

        /** For another thread: when this one's last commit had ended, or later. */
        long lastCommitTime() {
            return tx.counters.commits == commitsSeen ? commitsSeenAt : System.nanoTime();
        }

        /**
         * Writes the batch, if any, through {@code to}: this thread's writer, or another for its
         * late events. {@code time} is when the last of its commits had ended, or later.
         */
        void writeBatch(ThreadWriter to, long time) {
            writeBatch(to, time, tx.active);
        }

        /**
         * As {@link #writeBatch(ThreadWriter, long)}; {@code attemptRunning} is false at a commit,
         * where the transaction is still active but its attempt is over and counted: its samples
         * belong to this batch. (Left out, they were lost when the thread committed no more.)
         */
        void writeBatch(ThreadWriter to, long time, boolean attemptRunning) {
            if (marks.pending()) {
                MARK_COUNTS.setVolatile(tx, PendingMarks.NOT_COUNTING); // the counts are zeroed: closed
                marks.write(to, writer.lastNanoTime());
            }
            long commits = tx.counters.commits;
            if (commits == commitsWritten) return;
            // The samples of a quiet attempt still running (a mark inside it) belong to it, not
            // to the commits before it: to a later batch, or to the attempt if it gets written.
            long running = attemptRunning && state == QUIET && serialSeen == tx.serial ? sampledInAttempt : 0;
            long sampled = sampledBusy - sampledUncounted - running;
            to.txCommits(Math.max(time, writer.lastNanoTime()), commits - commitsWritten,
                    sampled - sampledWritten + rerunsBusy + exactBusy);
            commitsWritten = commits;
            sampledWritten = sampled;
            rerunsBusy = 0;
            exactBusy = 0;
        }

        /**
         * Before any other record of this thread: writes the batch, so that the log keeps the
         * thread's order, and, when the record belongs to an attempt not written yet, its
         * TX_START, so that the record falls inside it.
         */
        void beforeRecord(boolean inAttempt) {
            if (!inAttempt || state == WRITTEN) {
                writeBatch(writer, System.nanoTime());
                return;
            }
            long start;
            long estimated = -1;
            if (state == RERUN) {
                start = Math.max(rerunStart, writer.lastNanoTime());
            } else if (EXACT) {
                // exact; marked when the default timing would not have timed it, so that the
                // analyzer can measure its estimate against the truth of one run
                start = Math.max(attemptStart, writer.lastNanoTime());
                if (!startTimed()) estimated = 0;
            } else if (startTimed()) {
                // timed from its start, since the thread had a conflict not long ago; the
                // clock's samples of it leave the batch (see below)
                long sampled = serialSeen == tx.serial ? sampledInAttempt : 0;
                start = Math.max(attemptStart, writer.lastNanoTime());
                sampledUncounted += sampled;
            } else {
                // The clock's samples of this attempt so far estimate its time so far (right on
                // average, like the batches' busy time): they move from the batch to the attempt,
                // which is timed exactly from now on. Not before the thread's last record, to
                // keep its order: what does not fit stays in the batch, so the sum stays right.
                long now = System.nanoTime();
                long sampled = serialSeen == tx.serial ? sampledInAttempt : 0;
                start = Math.min(now, Math.max(now - sampled, writer.lastNanoTime()));
                sampledUncounted += now - start;
                estimated = now - start;
            }
            state = WRITTEN;
            writtenStart = EXACT || estimated < 0 ? start : -1;
            writeBatch(writer, start); // its commits ended before this attempt started
            writer.txStart(start);
            if (estimated >= 0) writer.untimedStart(start + estimated, estimated);
            tx.recorderAttention = true; // its commit must be written
        }

        /** The attempt starting now is timed from {@link #attemptStart}. */
        void timeThisAttempt(Txn tx) {
            timedAttempts--;
            timedSerial = tx.serial;
            timedAttempt = tx.attempt;
        }

        /** Whether the current attempt is timed from {@link #attemptStart}. */
        boolean startTimed() {
            return timedSerial == tx.serial && timedAttempt == tx.attempt;
        }

        /**
         * The thread writes a contended Ref, as the other side of its conflicts: its next
         * attempts are timed from their start, as after a conflict of its own, so that their
         * commits of the Ref can say how long they ran ({@link ConflictSites#commitOf(Txn)}).
         */
        void timeAttempts() {
            timedAttempts = TIMED_AFTER_CONFLICT;
        }

        /** When the current attempt started, if it was timed from its start (not estimated); else -1. */
        long timedStart() {
            if (state == RERUN) return rerunStart;
            if (state == WRITTEN) return writtenStart;
            return EXACT || startTimed() ? attemptStart : -1;
        }
    }

    /** The calling thread's recording state; only called when {@link #ENABLED}. */
    static ThreadLog forCurrentThread(Txn tx) {
        ThreadLog r = new ThreadLog(LOG.forCurrentThread(), tx);
        THREADS.add(r);
        return r;
    }

    // ---------------------------------------------------------------- transaction events
    //
    // A first attempt that commits with nothing recorded, the common case, costs its thread
    // one test of a field of its Txn, at commit: it is counted by the STM's own commit
    // counter, and timed by the clock thread's samples.

    /**
     * Every tick, from the clock thread ({@code dt} ns since the last): adds the tick to the busy
     * time of each thread that is in a quiet first attempt (on average that is the time spent
     * in them: the same estimate as reading a coarse clock at start and end), closes the
     * threads' open mark counts ({@link #closeMarkCounts}), and asks each
     * thread that has committed since the last tick to write its batch at its next commit.
     * Reads the owners' fields without synchronization: a tick that falls on a thread's change
     * of state may be counted on the wrong side of it. Package-private so that a test can
     * drive it with synthetic ticks (after replacing {@link #sampler}).
     */
    static void sample(long now, long dt) {
        for (ThreadLog r : THREADS) {
            closeMarkCounts(r); // the clock has moved: see countUnder
            Txn tx = r.tx;
            if (tx.active && r.state == QUIET && !EXACT) {
                long serial = tx.serial;
                r.sampledBusy += dt; // only this thread writes it
                r.sampledInAttempt = serial == r.serialSeen ? r.sampledInAttempt + dt : dt;
                r.serialSeen = serial;
            }
            long commits = tx.counters.commits;
            if (commits != r.commitsSeen) {
                r.commitsSeen = commits;
                r.commitsSeenAt = now;
                ATTENTION.setVolatile(tx, true);
            }
        }
    }

    /**
     * Attempts timed from their start after each conflict of a thread, in the default timing.
     * Where conflicts are frequent, every attempt is then timed (a clock read at its start), so
     * that an aborted first attempt is charged its own time, however long; elsewhere attempts
     * cost nothing at their start. An aborted attempt that was not timed is charged its re-run's
     * time by the analyzer, which misses the long tail of attempts that abort because they ran
     * long (preempted, say): in the planted sample those took twice a re-run's time on average,
     * with the same median.
     */
    private static final int TIMED_AFTER_CONFLICT = 1024;

    /** Exact mode: an attempt starts now; its commit must be timed. */
    static void attemptStarted(Txn tx) {
        ThreadLog r = tx.rec;
        r.attemptStart = System.nanoTime();
        tx.recorderAttention = true;
        if (r.timedAttempts > 0) r.timeThisAttempt(tx); // what the default timing would do
    }

    /**
     * Default timing: whether this thread times its attempts from their start, as it does for a
     * while after each of its conflicts (the test costs nothing until a program's first conflict).
     */
    static boolean timesAttempts(Txn tx) {
        return ConflictSites.anyRefContended() && tx.rec.timedAttempts > 0;
    }

    /** Default timing: the attempt starting now is timed from its start. */
    static void timedAttemptStarted(Txn tx) {
        ThreadLog r = tx.rec;
        r.attemptStart = System.nanoTime();
        r.timeThisAttempt(tx);
    }

    /**
     * The transaction committed and the STM has counted it. Only called when
     * {@code tx.recorderAttention} is set: its attempt was written or is a re-run, or the
     * clock has ticked.
     */
    static void txCommitted(Txn tx) {
        ThreadLog r = tx.rec;
        ATTENTION.setVolatile(tx, false); // before reading the clock: a tick now sets it again
        r.conflicts.attemptEnded(false);
        r.conflicts.transactionEnded();
        if (r.state == WRITTEN) {
            r.writer.txCommit(System.nanoTime());
            r.commitsWritten++; // written on its own, not part of the batch
        } else if (r.state == RERUN) {
            r.rerunsBusy += System.nanoTime() - r.rerunStart;
        } else if (EXACT) {
            r.exactBusy += System.nanoTime() - r.attemptStart;
        }
        r.state = QUIET;
        long tick = CoarseClock.now();
        if (tick != r.batchTick) {
            r.batchTick = tick;
            r.writeBatch(r.writer, System.nanoTime(), false); // this attempt has committed
        }
    }

    /**
     * The attempt ended without committing. {@code kind}, {@code contended} and
     * {@code otherThreadId} are only meaningful for {@link AbortReason#CONFLICT}
     * (otherwise null, null, 0).
     */
    static void txAbort(Txn tx, AbortReason reason, ConflictKind kind, Ref<?> contended, long otherThreadId) {
        ThreadLog r = tx.rec;
        r.beforeRecord(true);
        AbortCause cause;
        switch (reason) {
            case CONFLICT -> {
                cause = AbortCause.CONFLICT;
                r.conflicts.lost(tx, kind, contended, otherThreadId);
                r.timedAttempts = TIMED_AFTER_CONFLICT;
            }
            case RETRY, RETRY_SET_ASIDE -> cause = AbortCause.EXPLICIT_RETRY;
            default -> cause = AbortCause.EXCEPTION;
        }
        long end = System.nanoTime();
        r.writer.txAbort(end, cause);
        r.conflicts.attemptEnded(reason == AbortReason.CONFLICT);
        if (reason == AbortReason.EXCEPTION || reason == AbortReason.RETRY_SET_ASIDE) {
            r.conflicts.transactionEnded();
            r.state = QUIET; // the transaction is over; the next one starts with a first attempt
        } else {
            r.state = RERUN; // timed from here, or from the end of the wait that follows
            r.rerunStart = end;
            tx.recorderAttention = true;
        }
    }

    /**
     * The transaction starts waiting; {@code on} / {@code otherThreadId} when known (else null / 0).
     * A wait for an inevitable transaction is a contention in its own right, recorded with the
     * stack where the other became inevitable, so that paused time has a site to be charged to.
     */
    static void waitBegin(Txn tx, WaitKind kind, Ref<?> on, long otherThreadId) {
        ThreadLog r = tx.rec;
        r.beforeRecord(kind == WaitKind.LOCK || kind == WaitKind.INEVITABLE); // the others are between attempts
        if (kind == WaitKind.INEVITABLE) {
            r.conflicts.waitsForInevitable(tx, otherThreadId);
            r.timedAttempts = TIMED_AFTER_CONFLICT;
        }
        r.writer.waitBegin(System.nanoTime(), waitKind(kind));
    }

    /**
     * The transaction starts waiting for the write lock of {@code on}, held by another
     * committer: a contention on {@code on}, so that the paused time is charged to the site of
     * that Ref's conflicts, with both sides ({@link ConflictSites#waitsForLock}). If the lock
     * stays held, the abort that follows is the same conflict and records no other.
     */
    static void lockWaitBegin(Txn tx, Ref<?> on, long otherThreadId, ConflictKind kind) {
        ThreadLog r = tx.rec;
        r.beforeRecord(true);
        r.conflicts.waitsForLock(tx, kind, on, otherThreadId);
        r.timedAttempts = TIMED_AFTER_CONFLICT;
        r.writer.waitBegin(System.nanoTime(), waitKind(WaitKind.LOCK));
    }

    /** The wait started by the matching {@link #waitBegin} is over. */
    static void waitEnd(Txn tx, WaitKind kind) {
        ThreadLog r = tx.rec;
        long end = System.nanoTime();
        r.writer.waitEnd(end, waitKind(kind));
        if (r.state == RERUN) r.rerunStart = end; // a backoff or retry wait: the re-run starts now
    }

    /** The transaction became inevitable at the user's {@code Stm.inevitable()}: from now on it cannot abort. */
    static void becameInevitable(Txn tx) {
        ThreadLog r = tx.rec;
        r.beforeRecord(true);
        r.writer.becomeInevitable(System.nanoTime(), r.conflicts.becameInevitable());
    }

    /**
     * The attempt starts inevitable: it kept the token from the last attempt's
     * {@code Stm.inevitable()} call ({@code again}), which is the site to name, or it was made
     * inevitable by contention management, named by where the transaction was entered.
     */
    static void startedInevitable(Txn tx, boolean again) {
        ThreadLog r = tx.rec;
        r.beforeRecord(true);
        r.writer.becomeInevitable(System.nanoTime(), r.conflicts.startedInevitable(again));
    }

    // Access sites of contended Refs: Txn calls its ConflictSites directly (Txn.sites()), which
    // serve the JFR events too.

    // ---------------------------------------------------------------- marks

    // A mark costs the few nanoseconds of finding the thread's counts and adding to them: the
    // common case (a marker's mark under the same tick as the thread's last one) is kept small
    // enough to be inlined into the caller, everything else is in methods of its own. It reads
    // the thread's Txn (found, or at hand in Stm.atomic(marker, body)), its open counts and
    // their length, the marker's index, and adds twice: the clock, the ThreadLog and its
    // PendingMarks are left to the slow path (see mark(Txn, Marker, long)).

    /** {@link Stm#marker}: the marker for {@code name}. */
    static Marker marker(String name) {
        return Markers.of(name, LOG);
    }

    /** {@link Marker#mark}: counted in the marker's slot, written with the batch (see {@link PendingMarks}). */
    static void mark(Marker m, long value) {
        mark(CurrentTxn.get(), m, value);
    }

    /**
     * A {@link Marker}'s mark on {@code tx}'s thread: an add or two to the counts open in
     * {@code tx.markCounts}, or, when they are not open (a new tick, a slot the thread has no
     * room for, a marker without a slot), {@link #markSlowly}. No look at the clock: the counts
     * are closed by the clock thread at each tick and by every timed mark, in every thread
     * ({@link #closeMarkCounts}), after it has moved the clock. The counts are loaded opaque,
     * not plain: the JIT may hoist a plain load out of a loop that marks, which would then go on
     * counting under a tick long closed (later marks given an earlier time, on the wrong side
     * of a timed mark). On x86 an opaque load is the same move, which the JIT must repeat.
     */
    static void mark(Txn tx, Marker m, long value) {
        long[] c = (long[]) MARK_COUNTS.getOpaque(tx);
        int i = m.index;
        if (i + 1 < c.length) {
            c[i]++;
            c[i + 1] += value - 1; // see PendingMarks.slots: nothing for a mark of 1
        } else {
            markSlowly(tx, m, value);
        }
    }

    /** {@link #mark(Txn, Marker, long)} with the counts closed, in a slot new to the thread, or without a slot. */
    private static void markSlowly(Txn tx, Marker m, long value) {
        ThreadLog r = tx.rec;
        if (m.slot == Marker.NO_SLOT) {
            mark(r, m.name(), value);
            return;
        }
        if (!r.marks.hasSlot(m.slot)) {
            Markers.grow(r.marks, m.slot);
        }
        long now = countUnder(r);
        r.marks.countInSlot(m.slot, value, now); // true: the tick is now's, the slot there
    }

    /** {@link Stm#mark}: counted by name, written with the batch (see {@link PendingMarks}). */
    static void mark(String name, long value) {
        mark(CurrentTxn.get().rec, name, value);
    }

    private static void mark(ThreadLog r, String name, long value) {
        PendingMarks marks = r.marks;
        if (CoarseClock.now() != marks.tick) {
            countUnder(r);
        }
        if (!marks.add(name, value, LOG)) {
            r.writeBatch(r.writer, System.nanoTime());
            marks.clearNames();
            countUnder(r);
            marks.add(name, value, LOG);
        }
    }

    /**
     * Makes the thread count its marks under the coarse clock's time, and returns that time:
     * the marks counted under an earlier one are written first, at that time, with the batch.
     * Opens the counts in {@code Txn.markCounts} for the marks that follow under the same time:
     * the clock thread, or a timed mark, moves the clock and then closes them; so once they are
     * open (a volatile write), the clock, read again, has not moved, or they are closed, or are
     * about to be: a mark counted there meanwhile is one made before the clock moved.
     */
    private static long countUnder(ThreadLog r) {
        for (;;) {
            long now = CoarseClock.now();
            PendingMarks marks = r.marks;
            if (now != marks.tick) {
                if (marks.pending()) {
                    r.writeBatch(r.writer, System.nanoTime());
                }
                marks.tick = now;
            }
            MARK_COUNTS.setVolatile(r.tx, marks.slots);
            if (CoarseClock.now() == now) {
                return now;
            }
        }
    }

    /**
     * Closes every recording thread's open counts ({@code Txn.markCounts}): from the clock
     * thread at each tick, and from a timed mark, each after moving the clock, so that a mark
     * made after this call looks at the clock again.
     */
    private static void closeMarkCounts() {
        for (ThreadLog r : THREADS) {
            closeMarkCounts(r);
        }
    }

    /** {@link #closeMarkCounts()} of one thread: the clock thread's tick does it in its pass over them. */
    private static void closeMarkCounts(ThreadLog r) {
        if (MARK_COUNTS.getVolatile(r.tx) != PendingMarks.NOT_COUNTING) {
            MARK_COUNTS.setVolatile(r.tx, PendingMarks.NOT_COUNTING);
        }
    }

    /** {@link Stm#markTimed}: written now, after the marks counted before it. */
    static void markTimed(String name, long value) {
        ThreadLog r = CurrentTxn.get().rec;
        // The name is pooled before the time is taken: pooling the first name loads and
        // allocates for 0.8 to 6 ms (measured on the samples' first mark), which fell after the
        // mark's time and put the mark that early before the program's own clock reading;
        // pooled first, the mark is 15-30 us from its caller's next statement.
        int id = LOG.string(name);
        r.writeBatch(r.writer, System.nanoTime());
        // Every thread's later marks are counted under this time or later, its earlier ones
        // under an earlier time (see PendingMarks): the counts open under an earlier time are
        // closed once the clock has moved.
        long time = CoarseClock.advance();
        closeMarkCounts();
        r.writer.mark(time, id, value);
    }

    // ---------------------------------------------------------------- internals

    private static dev.stmlog.format.event.WaitKind waitKind(WaitKind k) {
        return switch (k) {
            case INEVITABLE -> dev.stmlog.format.event.WaitKind.INEVITABLE;
            case LOCK -> dev.stmlog.format.event.WaitKind.LOCK;
            case BACKOFF -> dev.stmlog.format.event.WaitKind.BACKOFF;
            case RETRY -> dev.stmlog.format.event.WaitKind.RETRY;
        };
    }

    /**
     * The counts of threads that have ended, which will not write them. (A thread's end
     * happens-before {@code isAlive()} returns false, so its fields can be read here.)
     */
    private static void writeEndedThreadsBatches() {
        synchronized (THREADS) {
            for (ThreadLog r : THREADS) {
                if (r.tx.thread.isAlive()) continue;
                r.writeBatch(LOG.forThread(r.tx.threadId), r.lastCommitTime());
                THREADS.remove(r);
            }
        }
    }

    /** At exit: writes every thread's counts, closes the log and says where it went. */
    private static void close() {
        writeAllBatchesAndClose();
        WriteSummary s = LOG.summary();
        String lost = s.eventsLost() == 0 ? ""
                : " (" + s.eventsLost() + " events lost" + (s.stopReason() == null ? "" : ": " + s.stopReason()) + ")";
        System.err.println("stmlog: recorded " + s.eventsWritten() + " events to " + s.name() + lost);
    }

    /**
     * Writes every thread's counts and closes the log. A thread still running at exit (a daemon,
     * an idle pool worker) has its counts read without synchronization: at worst the last few
     * commits of a thread that is still committing while the JVM exits are missed.
     */
    private static void writeAllBatchesAndClose() {
        synchronized (THREADS) {
            for (ThreadLog r : THREADS) {
                r.writeBatch(LOG.forThread(r.tx.threadId), r.lastCommitTime());
            }
            THREADS.clear();
        }
        LOG.close();
    }

    /** {@code STM_LOG_TIMING}: {@code sampled} (the default) or {@code exact}. */
    private static boolean exactTiming() {
        String v = System.getenv("STM_LOG_TIMING");
        if (v == null || v.isBlank() || v.trim().equals("sampled")) return false;
        if (v.trim().equals("exact")) return true;
        System.err.println("stmlog: ignoring STM_LOG_TIMING=" + v + " (sampled or exact)");
        return false;
    }
}
