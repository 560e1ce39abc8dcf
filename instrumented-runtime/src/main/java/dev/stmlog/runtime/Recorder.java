package dev.stmlog.runtime;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.WriteSummary;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Metadata;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.SwitchPoint;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Instant;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
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
 * <p>Stacks cost microseconds, so they are captured only where conflicts happen: the victim's
 * stack at each recorded contention; the stack where a transaction became inevitable; and,
 * for Refs that have already been in a conflict ("contended" Refs), a sample of each thread's
 * sites that write and read them (one access in {@value #SITE_SAMPLE}), so that later
 * conflicts on them can name the other side's write site (the Ref keeps the latest sampled one,
 * with its thread, named only when that thread is the other side), the victim's read site, and the
 * victim's own access when the conflict is found at commit, after its code has returned. The
 * first conflict on a Ref therefore has no other-side stack. Stack walks draw on per-thread
 * budget, after a first 100 ms: 2% of the thread's time; past it, a contention names the sites
 * already learnt, or the stack of the thread's last conflict of the same kind.
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
 * their single durations matter.
 */
final class Recorder {

    /**
     * One in this many of a thread's accesses to contended Refs records its site: the sampling
     * is per thread, not per Ref, so that an access costs a decrement when most Refs have been
     * in a conflict once (a large, rarely conflicting workload), not a map lookup.
     */
    private static final int SITE_SAMPLE = 8;
    /**
     * The share of a thread's time that stack walks may take (see {@link ThreadLog#mayCapture}):
     * victims' stacks at contentions and the sampled access sites of contended Refs, which name
     * the victims of conflicts found at commit. Inevitable transactions' stacks are always taken.
     */
    private static final int BUDGET_PERCENT = 2;
    private static final int ALWAYS = 100;
    private static final long CAPTURE_CREDIT_NANOS = 100_000_000;

    private static final LogWriter LOG;
    private static final Path PATH;
    private static final int DEPTH;

    // What a thread's recorder knows of its attempt (ThreadLog.state), kept without any work on
    // the common path: QUIET, a first attempt with nothing written, or no attempt after one
    // that ended quietly or was rolled back; RERUN, an attempt after a conflict or a retry, or
    // the wait before it, nothing written (timed exactly from rerunStart); WRITTEN, an attempt
    // with its TX_START in the log, so its end must be written too.
    private static final int QUIET = 0;
    private static final int RERUN = 1;
    private static final int WRITTEN = 2;

    /**
     * Whether any Ref has been contended yet, as a constant the JIT compiles in: until the first
     * recorded conflict, reads and writes do not even test {@code Ref.contended} (a program
     * without conflicts pays nothing for the sampling of access sites); at the first one,
     * {@link #contended} switches it, once, and the code using it is recompiled.
     */
    private static final SwitchPoint NO_REF_CONTENDED = new SwitchPoint();
    private static final MethodHandle ANY_REF_CONTENDED = NO_REF_CONTENDED.guardWithTest(
            MethodHandles.constant(boolean.class, false), MethodHandles.constant(boolean.class, true));

    /** {@code Txn.recorderAttention}, set by the clock thread, cleared by the owner. */
    private static final VarHandle ATTENTION;

    /** Compile-time-like constant: with recording off, guarded call sites vanish. */
    static final boolean ENABLED;

    /** Where and on which thread the current (or last) inevitable transaction became so. */
    private static volatile int inevitableSite;

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
        if (target != null && !target.isBlank()) {
            depth = intSetting("STM_LOG_DEPTH", 8);
            Metadata metadata = Metadata.ofThisJvm(intSetting("STM_THREADS", 0), userMetadata());
            path = LogTarget.resolve(target, metadata.pid(), Instant.now());
            try {
                log = LogWriter.open(path, metadata, WriterOptions.defaults()
                        .withMaxBytes(longSetting("STM_LOG_MAX_BYTES", WriterOptions.DEFAULT_MAX_BYTES))
                        .withCloseOnShutdown(false));
            } catch (IOException | RuntimeException e) {
                System.err.println("stmlog: cannot record to " + path + " (" + e.getMessage() + "); recording disabled");
            }
        }
        LOG = log;
        PATH = path;
        DEPTH = depth;
        ENABLED = log != null;
        try {
            ATTENTION = MethodHandles.lookup().findVarHandle(Txn.class, "recorderAttention", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        if (ENABLED) {
            GcPauses.install(log);
            CoarseClock.start(Recorder::sample, Recorder::writeEndedThreadsBatches);
            Runtime.getRuntime().addShutdownHook(new Thread(Recorder::close, "stmlog-close"));
        }
    }

    private Recorder() {
    }

    /** Why an attempt ended without committing. */
    enum AbortReason {
        /** Lost a conflict; the transaction is re-run. */
        CONFLICT,
        /** {@link Stm#retry()}: the transaction blocks until something it read changes. */
        RETRY,
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

        /** Where this thread recently read and wrote each contended Ref. */
        private final Map<Ref<?>, Sites> sites = new IdentityHashMap<>();
        /** The victim's stack, captured where a conflict was detected during the user's code. */
        private int victimAtAccess;
        /** Time this thread has spent walking stacks, and since when it records. */
        private long captureNanos;
        private final long since = System.nanoTime();
        /** Accesses to contended Refs to let pass before the next recorded one. */
        private int accessesToSkip;
        private int random = System.identityHashCode(this) | 1;
        /** The last victim stack captured per conflict kind, reused when over budget. */
        private final int[] lastVictim = new int[ConflictKind.values().length];

        ThreadLog(ThreadWriter writer, Txn tx) {
            this.writer = writer;
            this.tx = tx;
        }

        /**
         * Whether another stack walk fits a budget of {@code percent}% of the thread's time since
         * it started recording, plus {@value #CAPTURE_CREDIT_NANOS} ns to start with. Without it,
         * a workload whose conflicts touch many Refs would spend most of its time in stack walks.
         */
        boolean mayCapture(int percent) {
            long elapsed = CoarseClock.now() - since; // a tick off at most: no nanoTime() here
            return captureNanos < CAPTURE_CREDIT_NANOS + elapsed / 100 * percent;
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
            long commits = tx.counters.commits;
            if (commits == commitsWritten) return;
            // The samples of a quiet attempt still running (a mark inside it) belong to it, not
            // to the commits before it: to a later batch, or to the attempt if it gets written.
            long running = tx.active && state == QUIET && serialSeen == tx.serial ? sampledInAttempt : 0;
            long sampled = sampledBusy - sampledUncounted - running;
            to.txCommits(Math.max(time, writer.lastNanoTime()), commits - commitsWritten, sampled - sampledWritten + rerunsBusy);
            commitsWritten = commits;
            sampledWritten = sampled;
            rerunsBusy = 0;
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
            if (state == RERUN) {
                start = Math.max(rerunStart, writer.lastNanoTime());
            } else {
                // The clock's samples of this attempt so far estimate its time so far (right on
                // average, like the batches' busy time): they move from the batch to the attempt,
                // which is timed exactly from now on. Not before the thread's last record, to
                // keep its order: what does not fit stays in the batch, so the sum stays right.
                long now = System.nanoTime();
                long sampled = serialSeen == tx.serial ? sampledInAttempt : 0;
                start = Math.min(now, Math.max(now - sampled, writer.lastNanoTime()));
                sampledUncounted += now - start;
            }
            state = WRITTEN;
            writeBatch(writer, start); // its commits ended before this attempt started
            writer.txStart(start);
            tx.recorderAttention = true; // its commit must be written
        }

        /**
         * Skips a random number of accesses, {@value #SITE_SAMPLE} on average: a fixed stride
         * would see only one of a transaction's accesses when their count divides it (a read
         * then a write of the same Ref: only the reads).
         */
        void skipSomeAccesses() {
            int x = random;
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            random = x;
            accessesToSkip = (x & (2 * SITE_SAMPLE - 1)) - 1;
        }

        /** A stack walk, its cost charged to the budget; 0 (no stack) when over {@code percent}. */
        int capture(int percent) {
            if (percent < 100 && !mayCapture(percent)) return 0;
            long start = System.nanoTime();
            int id = LOG.stack(StackCapture.capture(DEPTH));
            captureNanos += System.nanoTime() - start;
            return id;
        }
    }

    /** A thread's sampled access sites of one contended Ref: stack pool ids, 0 for none yet. */
    private static final class Sites {
        int read;
        int write;
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
     * in them: the same estimate as reading a coarse clock at start and end), and asks each
     * thread that has committed since the last tick to write its batch at its next commit.
     * Reads the owners' fields without synchronization: a tick that falls on a thread's change
     * of state may be counted on the wrong side of it.
     */
    private static void sample(long now, long dt) {
        for (ThreadLog r : THREADS) {
            Txn tx = r.tx;
            if (tx.active && r.state == QUIET) {
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
     * The transaction committed and the STM has counted it. Only called when
     * {@code tx.recorderAttention} is set: its attempt was written or is a re-run, or the
     * clock has ticked.
     */
    static void txCommitted(Txn tx) {
        ThreadLog r = tx.rec;
        ATTENTION.setVolatile(tx, false); // before reading the clock: a tick now sets it again
        if (r.state == WRITTEN) {
            r.writer.txCommit(System.nanoTime());
            r.commitsWritten++; // written on its own, not part of the batch
        } else if (r.state == RERUN) {
            r.rerunsBusy += System.nanoTime() - r.rerunStart;
        }
        r.state = QUIET;
        long tick = CoarseClock.now();
        if (tick != r.batchTick) {
            r.batchTick = tick;
            r.writeBatch(r.writer, System.nanoTime());
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
                contention(tx, kind, contended, otherThreadId);
            }
            case RETRY -> cause = AbortCause.EXPLICIT_RETRY;
            default -> cause = AbortCause.EXCEPTION;
        }
        long end = System.nanoTime();
        r.writer.txAbort(end, cause);
        r.victimAtAccess = 0; // a stack captured for this attempt must not name the next one
        if (reason == AbortReason.EXCEPTION) {
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
            contention(tx, ConflictKind.INEVITABLE, null, otherThreadId);
        }
        r.writer.waitBegin(System.nanoTime(), waitKind(kind));
    }

    /** The wait started by the matching {@link #waitBegin} is over. */
    static void waitEnd(Txn tx, WaitKind kind) {
        ThreadLog r = tx.rec;
        long end = System.nanoTime();
        r.writer.waitEnd(end, waitKind(kind));
        if (r.state == RERUN) r.rerunStart = end; // a backoff or retry wait: the re-run starts now
    }

    /** The transaction became inevitable: from now on it cannot abort. */
    static void becameInevitable(Txn tx) {
        tx.rec.beforeRecord(true);
        int site = tx.rec.capture(ALWAYS); // rare, and what every INEVITABLE contention names
        inevitableSite = site;
        tx.rec.writer.becomeInevitable(System.nanoTime(), site);
    }

    // ---------------------------------------------------------------- access sites of contended Refs

    /** Whether {@code ref} is contended: its read and write sites are then sampled. */
    static boolean isContended(Ref<?> ref) {
        boolean any;
        try {
            any = (boolean) ANY_REF_CONTENDED.invokeExact();
        } catch (Throwable e) {
            throw new AssertionError(e); // a constant cannot fail
        }
        return any && ref.contended;
    }

    private static void contended(Ref<?> ref) {
        if (ref.contended) return;
        ref.contended = true;
        if (!NO_REF_CONTENDED.hasBeenInvalidated()) SwitchPoint.invalidateAll(new SwitchPoint[] {NO_REF_CONTENDED});
    }

    /** {@code tx} read {@code ref}, a contended Ref: remember (a sample of) where. */
    static void readAccess(Txn tx, Ref<?> ref) {
        ThreadLog r = tx.rec;
        if (--r.accessesToSkip >= 0) return;
        r.skipSomeAccesses();
        if (!r.mayCapture(BUDGET_PERCENT)) return;
        int site = r.capture(ALWAYS);
        if (site != 0) r.sites.computeIfAbsent(ref, k -> new Sites()).read = site;
    }

    /** {@code tx} wrote {@code ref}, a contended Ref: remember (a sample of) where. */
    static void writeAccess(Txn tx, Ref<?> ref) {
        ThreadLog r = tx.rec;
        if (--r.accessesToSkip >= 0) return;
        r.skipSomeAccesses();
        if (!r.mayCapture(BUDGET_PERCENT)) return;
        int site = r.capture(ALWAYS);
        if (site == 0) return;
        r.sites.computeIfAbsent(ref, k -> new Sites()).write = site;
        ref.writeSite = (long) site << 32 | (tx.threadId & 0xFFFF_FFFFL); // for the other side's reports
    }

    /**
     * A conflict was detected while the user's code runs (in a read): its stack shows the
     * access, so capture it now; the abort is recorded after the code has unwound.
     */
    static void conflictAtAccess(Txn tx) {
        tx.rec.victimAtAccess = tx.rec.capture(BUDGET_PERCENT);
    }

    // ---------------------------------------------------------------- marks

    static void mark(String name, long value) {
        ThreadLog r = CurrentTxn.get().rec;
        // The name is pooled before the time is taken: pooling the first name loads and
        // allocates for 0.8 to 6 ms (measured on the samples' first mark), which fell after the
        // mark's time and put the mark that early before the program's own clock reading;
        // pooled first, the mark is 15-30 us from its caller's next statement.
        int id = LOG.string(name);
        r.writeBatch(r.writer, System.nanoTime());
        r.writer.mark(System.nanoTime(), id, value);
    }

    // ---------------------------------------------------------------- internals

    /**
     * Records a contention. The victim's stack is, by preference: where the conflict was
     * detected during the user's code; else where this thread last wrote (write-write) or read
     * (write-read) the Ref, when it is contended; else the stack now, which after a commit-time
     * conflict shows only the caller of {@code Stm.atomic}; else, when even that is gone (a
     * queue task), a learnt write site of the transaction's writes.
     */
    private static void contention(Txn tx, ConflictKind kind, Ref<?> ref, long otherThreadId) {
        ThreadLog r = tx.rec;
        Sites sites = ref == null ? null : r.sites.get(ref);
        int victim = r.victimAtAccess;
        int other;
        int read = 0;
        int label = 0;
        if (kind == ConflictKind.INEVITABLE) {
            other = inevitableSite;
        } else {
            other = ref == null ? 0 : otherWriteSite(ref, tx.threadId, otherThreadId);
            if (sites != null) {
                read = kind == ConflictKind.WRITE_READ ? sites.read : 0;
                if (victim == 0) victim = kind == ConflictKind.WRITE_WRITE ? sites.write : sites.read;
            }
        }
        if (victim == 0 && r.mayCapture(BUDGET_PERCENT)) {
            long start = System.nanoTime();
            List<Frame> now = StackCapture.capture(DEPTH);
            victim = now.isEmpty() ? writeSetSite(tx) : LOG.stack(now);
            r.captureNanos += System.nanoTime() - start;
        }
        // Over budget: the likeliest site is where this thread last lost the same kind of conflict.
        if (victim == 0) victim = r.lastVictim[kind.ordinal()];
        else r.lastVictim[kind.ordinal()] = victim;
        r.victimAtAccess = 0;
        if (ref != null) {
            contended(ref);
            String name = ref.label();
            if (name != null) label = LOG.string(name);
        }
        r.writer.contention(System.nanoTime(), contentionKind(kind),
                otherThreadId == 0 ? Contention.UNKNOWN_THREAD : otherThreadId, victim, other, read, label);
    }

    /**
     * The stack has no user frame left (a commit in a {@link TransactionQueue} task, after the
     * task's code returned): what the transaction wanted to commit is its writes, so make their
     * Refs contended, to learn where they are written, and name the site of one already learnt.
     */
    private static int writeSetSite(Txn tx) {
        int site = 0;
        WriteSet ws = tx.writes;
        for (int i = 0; i < ws.size; i++) {
            Ref<?> ref = ws.refs[i];
            contended(ref);
            Sites sites = tx.rec.sites.get(ref);
            if (site == 0 && sites != null) site = sites.write;
        }
        return site;
    }

    /**
     * Where the other side wrote {@code ref}: its latest sampled write site, when the thread
     * that wrote there is the other side (when known), or at least not the victim; else 0.
     */
    private static int otherWriteSite(Ref<?> ref, long victimThreadId, long otherThreadId) {
        long packed = ref.writeSite;
        int writer = (int) packed;
        boolean fits = otherThreadId != 0 ? writer == (int) otherThreadId : writer != (int) victimThreadId;
        return fits ? (int) (packed >>> 32) : 0;
    }

    private static ContentionKind contentionKind(ConflictKind k) {
        return switch (k) {
            case WRITE_WRITE -> ContentionKind.WRITE_WRITE;
            case WRITE_READ -> ContentionKind.WRITE_READ;
            case INEVITABLE -> ContentionKind.INEVITABLE;
        };
    }

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

    /**
     * Writes every thread's counts and closes the log. A thread still running at exit (a daemon,
     * an idle pool worker) has its counts read without synchronization: at worst the last few
     * commits of a thread that is still committing while the JVM exits are missed.
     */
    private static void close() {
        synchronized (THREADS) {
            for (ThreadLog r : THREADS) {
                r.writeBatch(LOG.forThread(r.tx.threadId), r.lastCommitTime());
            }
            THREADS.clear();
        }
        LOG.close();
        WriteSummary s = LOG.summary();
        String lost = s.eventsLost() > 0 ? " (" + s.eventsLost() + " events lost: " + s.stopReason() + ")" : "";
        System.err.println("stmlog: recorded " + s.eventsWritten() + " events to " + PATH + lost);
    }

    /**
     * The application's own metadata: {@code STM_LOG_META="mode=stm,threads=4"} and system
     * properties {@code stmlog.meta.KEY=VALUE} (set before the first transaction), the latter
     * winning.
     */
    private static Map<String, String> userMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        String env = System.getenv("STM_LOG_META");
        if (env != null) {
            for (String pair : env.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) m.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("stmlog.meta.")) m.put(key.substring("stmlog.meta.".length()), System.getProperty(key));
        }
        return m;
    }

    private static int intSetting(String env, int fallback) {
        return (int) longSetting(env, fallback);
    }

    private static long longSetting(String env, long fallback) {
        String v = System.getenv(env);
        if (v == null || v.isBlank()) return fallback;
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            System.err.println("stmlog: ignoring " + env + "=" + v + " (not a number)");
            return fallback;
        }
    }
}
