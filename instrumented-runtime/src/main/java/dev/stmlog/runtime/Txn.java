package dev.stmlog.runtime;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A running transaction, as handed to the body of {@link Stm#run} and {@link Stm#call}: pass it
 * to the accesses ({@code ref.get(tx)}, {@code ref.set(tx, v)}, ...) so that they need not look
 * it up. It has no public members, and it is valid only in that body, on its thread.
 *
 * <p>Inside, a thread's transaction descriptor: the TL2 core. One instance per thread, reused by
 * every transaction of that thread (found through {@link CurrentTxn}), so a transaction
 * allocates nothing in steady state.
 *
 * <p>Protocol in short (details in the module README):
 * <ul>
 *   <li><b>start</b>: read version {@code rv} = global time;</li>
 *   <li><b>read</b>: lock word, value, lock word again; consistent if both words are equal and
 *       unlocked. If the version is {@code <= rv} the value belongs to the snapshot; if it is
 *       newer, try to extend {@code rv} to the current time by revalidating the whole read set,
 *       else abort. Hence a running transaction only ever sees a consistent snapshot (opacity);</li>
 *   <li><b>write</b>: buffered in the write set (lazy, commit-time locking);</li>
 *   <li><b>commit</b>: read-only transactions just finish. Writers lock their write set, take a
 *       commit version with one atomic add on the clock (whose returned value also says whether
 *       an inevitable transaction is running: then they unlock and wait), validate the read set
 *       (skipped when nobody committed since {@code rv}), write back and unlock with the new
 *       version.</li>
 * </ul>
 */
public final class Txn extends CacheLinePadded {

    /** Attempt states. */
    private static final int LIVE = 0;
    private static final int CONFLICT = 1;
    private static final int RETRY = 2;

    /** Spin/yield iterations on a lock held by another transaction before giving up. */
    private static final int LOCK_SPINS = 256;

    /** Read-version extensions allowed for one read before aborting (a Ref that never settles). */
    private static final int MAX_EXTENSIONS_PER_READ = 32;

    final Thread thread;
    final long threadId;
    final Counters counters;

    /** Recording state, when {@code STM_LOG} is set. */
    final Recorder.ThreadLog rec;

    /** JFR state, once a Flight Recording has run while this thread ran transactions ({@link Jfr}). */
    Jfr.PerThread jfr;

    /**
     * The recorder wants to hear of the next commit (see {@link Recorder#txCommitted}). Kept
     * here, in a field the commit path has at hand, because it is all that recording costs a
     * quiet transaction.
     */
    boolean recorderAttention;

    /**
     * Where a {@link Marker}'s mark is counted without a look at the clock, when recording
     * ({@link Recorder#mark(Txn, Marker, long)}): the thread's counts of the current tick, or
     * {@link PendingMarks#NOT_COUNTING} (no room), which the clock thread sets at each tick and
     * a timed mark in every thread. Here, in the object a mark finds first, because a mark is a
     * few loads and each dependent one counted (see the module README).
     */
    long[] markCounts = PendingMarks.NOT_COUNTING;

    final ReadSet reads = new ReadSet();
    final WriteSet writes = new WriteSet();

    private final SingleOp singleOp = new SingleOp(this);

    /** True while user code of a transaction runs on this thread (flat nesting joins it). */
    boolean active;

    // Why an access cannot take the fast path: the bits of {@link #access}.
    /** The attempt has written: a read looks in the write set first. */
    private static final int WROTE = 1;
    /** The attempt is lost (conflict or retry): every access rethrows the signal. */
    private static final int DOOMED = 2;
    /** No transaction runs on this thread (a {@code Txn} kept past its {@code Stm.run}). */
    private static final int INACTIVE = 4;
    /** The write set holds {@link Commutes}: a read or write of a written Ref checks for them. */
    private static final int COMMUTED = 8;
    /** The commit applies commute functions: they must not access Refs. */
    private static final int COMMITTING = 16;
    /** The bits that make every access fail. */
    private static final int NOT_LIVE = DOOMED | INACTIVE | COMMITTING;

    /**
     * What a read must check beyond the Ref itself, in the one field the fast path tests: 0 in a
     * live attempt that has written nothing yet (see {@link #WROTE}, {@link #DOOMED},
     * {@link #INACTIVE}). It mirrors {@code fate}, {@code active} and the write set's size.
     */
    private int access = INACTIVE;

    /** Holds the inevitable token. May stay true across attempts (see {@link #becomeInevitable}). */
    boolean inevitable;

    /** The user asked for inevitability in this attempt (so a retry cannot be honoured). */
    private boolean inevitableRequested;

    /** In {@link Stm#inevitable()}, taking the token: a wait now is at the user's call. */
    boolean callingInevitable;

    /** The token was kept from the last attempt's {@link Stm#inevitable()} call (it was stale). */
    private boolean inevitableRequestedBefore;

    private int fate;

    /** Snapshot version: every value read so far was current at this time. */
    long readVersion;

    /** Version of the last writing commit (0 after a read-only one). */
    long commitVersion;

    /** Number of top-level transactions started by this thread; identifies one for reports. */
    long serial;

    /** Attempt number within the current transaction, from 1. */
    int attempt;

    // Details of the conflict that ended the attempt (for stats and the recorder).
    Recorder.ConflictKind conflictKind;
    Ref<?> conflictRef;
    long conflictThreadId;

    // Effects of this attempt, in registration order: tasks added to TransactionQueues
    // (target: the queue), published only if it commits; Stm.afterCommit actions (target
    // AFTER_COMMIT), run once it has committed; Stm.afterRollback actions (AFTER_ROLLBACK), run
    // if it is rolled back. Kept together so that a commit tests one count for all of them.
    private Object[] deferredQueues;
    private Runnable[] deferredTasks;
    private int deferredCount;

    private static final Object AFTER_COMMIT = "afterCommit";
    private static final Object AFTER_ROLLBACK = "afterRollback";

    /** The afterRollback actions of the attempt just rolled back, until they run (or null). */
    private Runnable[] rollbackActions;

    Txn() {
        this.thread = Thread.currentThread();
        this.threadId = thread.getId();
        this.counters = Counters.register(this);
        // After counters: the recorder's clock thread reads them as soon as it knows the log.
        this.rec = Recorder.ENABLED ? Recorder.forCurrentThread(this) : null;
    }

    // =============================================================== the transaction loop

    // How execute() calls its body.
    /** A {@link Runnable}. */
    static final int RUNNABLE = 0;
    /** A {@link Supplier}. */
    static final int SUPPLIER = 1;
    /** A {@link Stm.TxRunnable}: given this Txn. */
    static final int TX_RUNNABLE = 2;
    /** A {@link Stm.TxCallable}: given this Txn. */
    static final int TX_CALLABLE = 3;

    /**
     * Runs {@code body}, of the given kind ({@link #RUNNABLE}, ...), as a top-level transaction,
     * re-running it until it commits; returns its result (null for the runnables). An exception
     * from the user code rolls the attempt back and propagates unchanged.
     */
    Object execute(Object body, int kind) {
        return execute(body, kind, false);
    }

    /**
     * Runs a {@link TransactionQueue} task as a top-level transaction. Returns null once it has
     * committed; if the task called {@link Stm#retry()}, returns what the attempt read instead of
     * blocking this thread (the attempt is rolled back): the queue sets the task aside and runs
     * it again, as a new transaction, when one of those Refs has changed.
     */
    RetryReads executeTask(Runnable task) {
        return (RetryReads) execute(task, RUNNABLE, true);
    }

    private Object execute(Object body, int kind, boolean setAsideOnRetry) {
        serial++;
        int conflicts = 0;
        for (int n = 1;; n++) {
            attempt = n;
            begin(conflicts);
            Object result = null;
            Throwable failure = null;
            try {
                result = run(body, kind);
            } catch (Throwable t) {
                failure = t;
            }
            if (fate == LIVE) {
                if (failure == null) {
                    if (commit()) {
                        finishCommit();
                        return result;
                    }
                } else {
                    // With opacity the code saw a consistent snapshot, so its exception is a
                    // legitimate outcome: roll back and let it through.
                    rollBackForException();
                    runRollbackActions(failure);
                    throw Txn.<RuntimeException>sneakyThrow(failure);
                }
            }
            if (fate == RETRY) {
                if (setAsideOnRetry) {
                    return setAside();
                }
                waitForChange();
                conflicts = 0; // the world changed: start contention management afresh
            } else {
                conflicts++;
                abortForConflict(conflicts);
            }
        }
    }

    /** One attempt of the user's code. */
    private Object run(Object body, int kind) {
        switch (kind) {
            case RUNNABLE:
                ((Runnable) body).run();
                return null;
            case SUPPLIER:
                return ((Supplier<?>) body).get();
            case TX_RUNNABLE:
                ((Stm.TxRunnable) body).run(this);
                return null;
            default:
                return ((Stm.TxCallable<?>) body).call(this);
        }
    }

    /** A single Ref operation outside any transaction, run as its own transaction. */
    Object runSingle(int op, Ref<?> ref, Object arg) {
        SingleOp s = singleOp;
        s.op = op;
        s.ref = ref;
        s.arg = arg;
        try {
            return execute(s, SUPPLIER);
        } finally {
            s.ref = null;
            s.arg = null;
        }
    }

    private void begin(int conflicts) {
        fate = LIVE;
        active = true;
        access = 0;
        if (Recorder.EXACT) {
            Recorder.attemptStarted(this);
        } else if (Recorder.ENABLED && Recorder.timesAttempts(this)) {
            Recorder.timedAttemptStarted(this);
        }
        inevitableRequested = false;
        if (!inevitable && conflicts >= Backoff.INEVITABLE_AFTER) {
            takeInevitableToken(); // priority to a transaction that keeps losing
        }
        // Read after taking the token: while we hold it no writer can publish a version above
        // this one, so an inevitable attempt never needs to extend (and never aborts).
        readVersion = GlobalClock.time();
        if (Recorder.ENABLED && inevitable) {
            Recorder.startedInevitable(this, inevitableRequestedBefore);
        }
        if (Jfr.on()) {
            Jfr.attemptStarted(this);
            if (inevitable) Jfr.startedInevitable(this, inevitableRequestedBefore);
        }
        inevitableRequestedBefore = false;
    }

    private void finishCommit() {
        counters.commits++;
        if (Recorder.ENABLED && recorderAttention) {
            Recorder.txCommitted(this);
        }
        if (Jfr.on()) {
            Jfr.transactionEnded(this, "committed");
        }
        reads.clear();
        writes.clear();
        active = false;
        access = INACTIVE;
        if (deferredCount != 0) {
            publishDeferred();
        }
    }

    /** Forget everything the attempt did (nothing of it was ever visible to others). */
    private void discard() {
        reads.clear();
        writes.clear();
        clearDeferred();
        active = false;
        access = INACTIVE;
    }

    private void rollBackForException() {
        counters.rollbacks++;
        if (Recorder.ENABLED) {
            Recorder.txAbort(this, Recorder.AbortReason.EXCEPTION, null, null, 0L);
        }
        if (Jfr.on()) {
            Jfr.transactionEnded(this, "rolled back");
        }
        discard();
        if (inevitable) {
            inevitable = false;
            Inevitability.release();
        }
    }

    private void abortForConflict(int conflicts) {
        counters.countConflict(conflictKind);
        if (Recorder.ENABLED) {
            Recorder.txAbort(this, Recorder.AbortReason.CONFLICT, conflictKind, conflictRef, conflictThreadId);
        }
        if (Jfr.on()) {
            Jfr.conflictLost(this, conflictKind, conflictRef, conflictThreadId);
        }
        conflictRef = null;
        discard();
        runRollbackActions(null);
        // A transaction that keeps the token re-runs at once: nobody can invalidate it now.
        if (!inevitable) {
            Backoff.pause(this, conflicts);
        }
    }

    private void waitForChange() {
        counters.retries++;
        if (Recorder.ENABLED) {
            Recorder.txAbort(this, Recorder.AbortReason.RETRY, null, null, 0L);
        }
        if (Jfr.on()) {
            Jfr.retried(this);
        }
        writes.clear();
        clearDeferred();
        if (inevitable) {
            // Only an escalated (not user-requested) attempt gets here; let others progress.
            inevitable = false;
            Inevitability.release();
        }
        Throwable interrupted = null;
        try {
            RetryWaiters.await(this); // needs the read set and readVersion
        } catch (Throwable t) {
            interrupted = t;
            throw t;
        } finally {
            discard();
            runRollbackActions(interrupted); // after the wait: it needed the read set
        }
    }

    /** A retry in a queue task: the transaction ends here, keeping only what it read. */
    private RetryReads setAside() {
        counters.retries++;
        if (Recorder.ENABLED) {
            Recorder.txAbort(this, Recorder.AbortReason.RETRY_SET_ASIDE, null, null, 0L);
        }
        if (Jfr.on()) {
            Jfr.transactionEnded(this, "set aside");
        }
        RetryReads r = new RetryReads(Arrays.copyOf(reads.refs, reads.size), readVersion);
        discard();
        if (inevitable) {
            // Only an escalated (not user-requested) attempt gets here.
            inevitable = false;
            Inevitability.release();
        }
        runRollbackActions(null);
        return r;
    }

    // =============================================================== reads and writes

    /**
     * A transactional read. The fast path, a live attempt that has written nothing, tests one
     * field of this object before reading the Ref; everything else is {@link #readSlowly}.
     */
    Object read(Ref<?> ref) {
        if (access != 0) {
            return readSlowly(ref);
        }
        return readShared(ref);
    }

    /** {@link #read} when the attempt has written something, is lost, or is over. */
    private Object readSlowly(Ref<?> ref) {
        if (access != WROTE) {
            if (access != (WROTE | COMMUTED)) {
                throw notLive();
            }
            return readCommuted(ref);
        }
        WriteSet ws = writes;
        int i = ws.indexOf(ref);
        return i >= 0 ? ws.value(i) : readShared(ref);
    }

    /**
     * {@link #read} of a {@link TLong}, unboxed: the same fast path. A value it finds in the
     * write set is unboxed there unless the Ref was written through its {@code Ref<Long>}
     * operations (boxed, or commuted): then it is {@link #readSlowly}'s.
     */
    long readLong(TLong ref) {
        if (access != 0) {
            return readLongSlowly(ref);
        }
        return readSharedLong(ref);
    }

    private long readLongSlowly(TLong ref) {
        if (access == WROTE) {
            WriteSet ws = writes;
            int i = ws.indexOf(ref);
            if (i < 0) {
                return readSharedLong(ref);
            }
            if (ws.values[i] == null) { // unboxed (a TLong's value is never null)
                return ws.longs[i];
            }
        }
        return (Long) readSlowly(ref);
    }

    /**
     * An access in an attempt that is lost (the signal, again) or after the transaction ended
     * (a {@code Txn} kept by the user past its {@link Stm#run} or {@link Stm#call}).
     */
    private Error notLive() {
        if ((access & COMMITTING) != 0) {
            throw new IllegalStateException("a commute function accessed a Ref: it must be a pure function of the Ref's value");
        }
        if ((access & INACTIVE) != 0) {
            throw new IllegalStateException("a Txn used outside its transaction: it is valid only in the body it was given to, on its thread");
        }
        throw TxnControl.SIGNAL;
    }

    /**
     * {@link #read}, except that a Ref this transaction has written still goes into the read set:
     * its committed value is read into the snapshot (and dropped), so that commit validation and
     * snapshot extension check its version, and the buffered value is returned. For reads whose
     * result depends on the Ref's committed version even though the transaction wrote it:
     * {@link TMap}'s whole-map reads of the presence stripes, which inserts and removals write
     * blindly (without reading), so that, read from the write set alone, a stripe would never be
     * validated and a concurrent insert in it would go unnoticed (a phantom).
     */
    Object readThrough(Ref<?> ref) {
        if ((access & NOT_LIVE) != 0) {
            throw notLive();
        }
        Object committed = readShared(ref);
        WriteSet ws = writes;
        int i = ws.indexOf(ref);
        if (i < 0) {
            return committed;
        }
        Object v = ws.value(i);
        if ((access & COMMUTED) != 0 && v instanceof Commutes c) {
            v = checked(ref, c.applyTo(committed)); // the Ref is now in the read set: an ordinary update
            ws.set(i, v);
        }
        return v;
    }

    /** Reads {@code ref}'s committed value into the snapshot (and the read set), extending it if need be. */
    private Object readShared(Ref<?> ref) {
        // Before the read: a stack walk here, which takes microseconds, does not widen the window
        // in which the value read can go stale.
        // (Off, compiled out, unless the log or a Flight Recording records and a Ref is contended.)
        if (ConflictSites.isContended(ref)) {
            sites().read(this, ref);
        }
        for (int extensions = 0;;) {
            long w1 = ref.word();
            Object v = ref.load();
            long w2 = ref.word();
            // unchanged, unlocked (the word is the version), and in the snapshot
            if (w1 == w2 && w1 >= 0 && w1 <= readVersion) {
                reads.add(ref);
                return v;
            }
            extensions = notInSnapshot(ref, w1, w2, extensions);
        }
    }

    /** {@link #readShared} of a {@link TLong}, unboxed. */
    private long readSharedLong(TLong ref) {
        if (ConflictSites.isContended(ref)) {
            sites().read(this, ref);
        }
        for (int extensions = 0;;) {
            long w1 = ref.word();
            long v = ref.longAcquire();
            long w2 = ref.word();
            if (w1 == w2 && w1 >= 0 && w1 <= readVersion) {
                reads.add(ref);
                return v;
            }
            extensions = notInSnapshot(ref, w1, w2, extensions);
        }
    }

    /**
     * A read of {@code ref} saw the lock words {@code w1} and {@code w2} around its value, which
     * is then not one of the snapshot: moves the snapshot forward (if the Ref was committed after
     * it), waits for the committer (if locked), or throws the signal when neither is possible.
     * Returns the number of extensions this read has made, for the caller to read again.
     */
    private int notInSnapshot(Ref<?> ref, long w1, long w2, int extensions) {
        if (w1 == w2 && w1 >= 0) {
            // Committed after our snapshot: move the snapshot forward if nothing we read
            // has changed since, otherwise we are doomed.
            if (!inevitable && ++extensions > MAX_EXTENSIONS_PER_READ) {
                throw conflictAtAccess(Recorder.ConflictKind.WRITE_READ, ref, ref.lastWriterThreadId());
            }
            if (!extend()) {
                // Met at this read, but on a Ref read earlier unless it is this one: the
                // victim's access to that one is recorded in the re-run.
                if ((Recorder.ENABLED || Jfr.on()) && conflictRef == ref) {
                    sites().conflictAtAccess();
                }
                throw TxnControl.SIGNAL;
            }
        } else if (((w1 | w2) & Ref.LOCKED) != 0) {
            // A committer is writing it back; that takes a moment.
            long w = awaitUnlocked(ref, inevitable, Recorder.ConflictKind.WRITE_READ);
            if ((w & Ref.LOCKED) != 0) {
                throw conflictAtAccess(Recorder.ConflictKind.WRITE_READ, ref, ref.lockOwnerThreadId());
            }
        }
        // else: changed between the two loads, read again
        return extensions;
    }

    void write(Ref<?> ref, Object value) {
        if (access > WROTE || value == null) {
            writeCommuted(ref, value);
            return;
        }
        writes.put(ref, value);
        access = WROTE;
        if (ConflictSites.isContended(ref)) {
            sites().write(this, ref);
        }
    }

    /** {@link #write} of a {@link TLong}, unboxed. */
    void writeLong(TLong ref, long value) {
        if (access > WROTE) {
            writeCommuted(ref, value);
            return;
        }
        writes.putLong(ref, value);
        access = WROTE;
        if (ConflictSites.isContended(ref)) {
            sites().write(this, ref);
        }
    }

    /**
     * {@code v}, a value about to be buffered for {@code ref}: a {@link TLong}'s must not be null
     * (its commit, under the lock, unboxes it). Thrown in the attempt, the exception rolls it back.
     */
    private static Object checked(Ref<?> ref, Object v) {
        if (v == null && ref instanceof TLong) {
            throw new NullPointerException("a TLong's value cannot be null: " + ref);
        }
        return v;
    }

    // =============================================================== commute

    /**
     * {@link Ref#commute}: {@code fn} is applied at commit, under the Ref's lock, to the value
     * committed then, and the Ref is not read (not in the read set), so that transactions that
     * only commute a Ref never conflict on it. After a {@code set} of the Ref in this transaction
     * (or a read that turned its commutes into an update, see {@link #readCommuted}), {@code fn}
     * is applied to the buffered value at once. A Ref that the transaction has also read stays
     * in the read set and is validated at commit as any other: its commit-time value is then
     * the one it read.
     */
    void commute(Ref<?> ref, UnaryOperator<Object> fn) {
        if ((access & NOT_LIVE) != 0) {
            throw notLive();
        }
        WriteSet ws = writes;
        int i = ws.indexOf(ref);
        if (i < 0) {
            ws.put(ref, new Commutes(fn));
        } else if (ws.values[i] instanceof Commutes c) {
            c.add(fn);
        } else {
            ws.set(i, checked(ref, fn.apply(ws.value(i))));
        }
        access |= WROTE | COMMUTED;
        if (ConflictSites.isContended(ref)) {
            sites().write(this, ref);
        }
    }

    /**
     * A read in an attempt whose write set holds commutes. A commuted Ref read in its own
     * transaction becomes an ordinary update: it is read into the snapshot (and the read set, so
     * that its commit conflicts with concurrent writers of it), its functions are applied to the
     * value read, and the result is buffered as a write. The value returned is then the one the
     * transaction commits.
     */
    private Object readCommuted(Ref<?> ref) {
        WriteSet ws = writes;
        int i = ws.indexOf(ref);
        if (i < 0) {
            return readShared(ref);
        }
        Object v = ws.value(i);
        if (v instanceof Commutes c) {
            v = checked(ref, c.applyTo(readShared(ref)));
            ws.set(i, v);
        }
        return v;
    }

    /** {@link #write} when the attempt is lost or over, or has commuted (a set overrides commutes), or of null (checked). */
    private void writeCommuted(Ref<?> ref, Object value) {
        if ((access & NOT_LIVE) != 0) {
            throw notLive();
        }
        writes.put(ref, checked(ref, value)); // blind: replaces pending commutes of the Ref
        access |= WROTE; // (a null value comes here from a live attempt that may not have written)
        if (ConflictSites.isContended(ref)) {
            sites().write(this, ref);
        }
    }

    /**
     * At commit, the write set locked and the commit version taken: replaces each Ref's pending
     * commutes with their result on the value committed now (ours to read: we hold the lock).
     * Returns what a function threw, or null.
     */
    private Throwable applyCommutes() {
        access |= COMMITTING;
        try {
            Ref<?>[] rs = writes.refs;
            Object[] vs = writes.values;
            for (int i = 0, n = writes.size; i < n; i++) {
                if (vs[i] instanceof Commutes c) {
                    vs[i] = checked(rs[i], c.applyTo(rs[i].load()));
                }
            }
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            access &= ~COMMITTING;
        }
    }

    /** Extends the snapshot to the current time; false (conflict recorded) if the read set changed. */
    private boolean extend() {
        long now = GlobalClock.time();
        if (validateReads(inevitable, false)) {
            readVersion = now;
            return true;
        }
        if (inevitable) {
            throw new IllegalStateException("STM bug: an inevitable transaction was invalidated");
        }
        return false;
    }

    /**
     * Checks that every Ref read is still at a version {@code <= readVersion}: i.e. the snapshot
     * is still current. A Ref locked by another committer is waited for (bounded unless
     * {@code waitForever}). When this transaction holds the locks of its write set
     * ({@code ownLocks}, at commit), a locked Ref of the write set is its own, and the lock word
     * still holds the version to check. Telling them apart by the write set rather than by an
     * owner field in the Ref spares the commit a reference store per Ref written (with its GC
     * barrier), and validation meets a locked Ref rarely.
     */
    private boolean validateReads(boolean waitForever, boolean ownLocks) {
        Ref<?>[] rs = reads.refs;
        long rv = readVersion;
        for (int i = 0, n = reads.size; i < n; i++) {
            Ref<?> r = rs[i];
            long w = r.word();
            if ((w & Ref.LOCKED) != 0 && !(ownLocks && writes.indexOf(r) >= 0)) {
                w = awaitUnlocked(r, waitForever, Recorder.ConflictKind.WRITE_READ);
                if ((w & Ref.LOCKED) != 0) {
                    conflict(Recorder.ConflictKind.WRITE_READ, r, r.lockOwnerThreadId());
                    return false;
                }
            }
            if (Ref.version(w) > rv) {
                conflict(Recorder.ConflictKind.WRITE_READ, r, r.lastWriterThreadId());
                return false;
            }
        }
        return true;
    }

    /** For {@link RetryWaiters}: has anything in the read set changed (or is it being written)? */
    boolean readSetChanged() {
        return RetryReads.changed(reads.refs, reads.size, readVersion);
    }

    /**
     * Waits while {@code r} is locked by another transaction: a short spin, then yielding.
     * Gives up after {@link #LOCK_SPINS} iterations unless {@code forever}. Returns the last
     * lock word seen (still locked if it gave up). For the recorder, the wait is a contention
     * of {@code kind}.
     */
    private long awaitUnlocked(Ref<?> r, boolean forever, Recorder.ConflictKind kind) {
        long w = r.word();
        if ((w & Ref.LOCKED) == 0) {
            return w;
        }
        if (Recorder.ENABLED) {
            Recorder.lockWaitBegin(this, r, r.lockOwnerThreadId(), kind);
        }
        for (int i = 0; (w & Ref.LOCKED) != 0 && (forever || i < LOCK_SPINS); i++) {
            Backoff.spin(i);
            w = r.word();
        }
        if (Recorder.ENABLED) {
            Recorder.waitEnd(this, Recorder.WaitKind.LOCK);
        }
        return w;
    }

    /** {@link #conflict}, detected in the user's code: the recorder takes the stack now. */
    private TxnControl conflictAtAccess(Recorder.ConflictKind kind, Ref<?> ref, long otherThreadId) {
        if (Recorder.ENABLED || Jfr.on()) {
            sites().conflictAtAccess();
        }
        return conflict(kind, ref, otherThreadId);
    }

    /** Marks the attempt as lost and remembers why; returns the signal for {@code throw}. */
    private TxnControl conflict(Recorder.ConflictKind kind, Ref<?> ref, long otherThreadId) {
        fate = CONFLICT;
        access |= DOOMED;
        conflictKind = kind;
        conflictRef = ref;
        conflictThreadId = otherThreadId;
        return TxnControl.SIGNAL;
    }

    // =============================================================== commit

    /** Tries to commit; on failure the conflict has been recorded and nothing was published. */
    private boolean commit() {
        if (writes.size == 0) {
            // Read-only: opacity already guarantees the reads formed a snapshot at readVersion.
            if (inevitable) {
                inevitable = false;
                Inevitability.release();
            }
            commitVersion = 0L;
            counters.readOnlyCommits++;
            return true;
        }
        boolean waitedForInevitable = false;
        long wv;
        for (;;) {
            if (!lockWriteSet()) {
                return false;
            }
            if (inevitable) {
                inevitable = false;
                wv = Inevitability.releaseAndTakeCommitVersion(); // nothing to validate
                break;
            }
            long previous = GlobalClock.tick();
            if ((previous & GlobalClock.INEVITABLE) != 0) {
                // An inevitable transaction runs: it must not be invalidated, so publish nothing
                // until it is done. Our tick is harmless (no Ref gets that version).
                unlockWriteSet(writes.size);
                Inevitability.awaitRelease(this);
                waitedForInevitable = true;
                continue;
            }
            wv = (previous >>> 1) + 1;
            // wv == rv + 1: nobody committed since our snapshot, so it is still valid.
            if (wv != readVersion + 1 && !validateReads(false, true)) {
                unlockWriteSet(writes.size);
                if (waitedForInevitable) {
                    conflictKind = Recorder.ConflictKind.INEVITABLE;
                }
                return false;
            }
            break;
        }
        if ((access & COMMUTED) != 0) {
            Throwable failure = applyCommutes();
            if (failure != null) {
                // As if the body had thrown it: nothing is published (the clock's tick is
                // harmless, no Ref gets that version).
                unlockWriteSet(writes.size);
                rollBackForException();
                runRollbackActions(failure);
                throw Txn.<RuntimeException>sneakyThrow(failure);
            }
        }
        writeBack(wv);
        commitVersion = wv;
        RetryWaiters.wakeAll();
        return true;
    }

    /**
     * Locks every Ref of the write set. A lock held by someone else is waited for briefly (commit
     * windows are short); if it stays held a non-inevitable transaction releases what it has and
     * aborts, so lock acquisition can never deadlock. An inevitable one waits: all other lock
     * holders are committers that finish or back off without waiting for it.
     */
    private boolean lockWriteSet() {
        Ref<?>[] rs = writes.refs;
        long tid = threadId;
        for (int i = 0, n = writes.size; i < n; i++) {
            Ref<?> r = rs[i];
            for (;;) {
                long w = awaitUnlocked(r, inevitable, Recorder.ConflictKind.WRITE_WRITE);
                if ((w & Ref.LOCKED) != 0) {
                    unlockWriteSet(i);
                    conflict(Recorder.ConflictKind.WRITE_WRITE, r, r.lockOwnerThreadId());
                    return false;
                }
                if (r.tryLock(w)) {
                    if (keepsConflictHints() && r.lockerThreadId != tid) {
                        r.lockerThreadId = tid; // for conflict reports only
                    }
                    break;
                }
            }
        }
        return true;
    }

    /**
     * Whether a commit keeps the hints that name the other side of a conflict in its Refs
     * ({@link Ref#lockerThreadId}, {@link Ref#lastWriterThreadId}): when something records
     * conflicts (the log, or a Flight Recording) and more than one thread has used the STM
     * (before that, no transaction can have had a conflict). Compiled out otherwise: at one
     * thread, loading and comparing them cost the recorded 50 ns bank transfer about 1 ns.
     */
    private static boolean keepsConflictHints() {
        return (Recorder.ENABLED || Jfr.on()) && Counters.severalThreads();
    }

    /** Releases the first {@code count} locks of the write set, versions unchanged. */
    private void unlockWriteSet(int count) {
        Ref<?>[] rs = writes.refs;
        for (int i = 0; i < count; i++) {
            Ref<?> r = rs[i];
            r.releaseWord(r.wordPlain() & ~Ref.LOCKED);
        }
    }

    /** Publishes the values, then unlocks each Ref with the commit version (release stores). */
    private void writeBack(long wv) {
        Ref<?>[] rs = writes.refs;
        Object[] vs = writes.values;
        long[] longs = writes.longs;
        long word = wv; // unlocked, at version wv
        long tid = threadId & 0xFFFF_FFFFL;
        long commit = 0; // for contended Refs: this commit's thread and time, once taken
        for (int i = 0, n = writes.size; i < n; i++) {
            Ref<?> r = rs[i];
            long written = tid;
            // What the commit did, for its victims (compiled out until the log or a Flight
            // Recording records a conflict, like the sampling of access sites); the old value is
            // ours to read: locked.
            Object v = vs[i];
            if (ConflictSites.isContended(r)) {
                if (commit == 0) commit = ConflictSites.commitOf(this);
                written = commit | (r instanceof TLong t
                        ? ConflictSites.change(t.longAcquire(), v == null ? longs[i] : (Long) v)
                        : ConflictSites.change(r.valueAcquire(), v));
            }
            if (r instanceof TLong t) {
                t.publishLong(v == null ? longs[i] : (Long) v); // null: unboxed in longs
            } else {
                r.publishValue(v);
            }
            if (keepsConflictHints() && r.lastWrite != written) {
                r.lastWrite = written; // a hint for conflict reports
            }
            r.releaseWord(word);
        }
    }

    // =============================================================== inevitability and retry

    /** {@link Stm#inevitable()} inside this (active) transaction. */
    void becomeInevitable() {
        if (fate != LIVE) {
            throw TxnControl.SIGNAL;
        }
        inevitableRequested = true;
        if (inevitable) {
            return;
        }
        callingInevitable = true;
        try {
            takeInevitableToken();
        } finally {
            callingInevitable = false;
        }
        // No writer can publish from now on; check that what we read is still current.
        long now = GlobalClock.time();
        if (!validateReads(true, false)) {
            // Not inevitable yet, so we may abort. Keep the token: the re-run starts inevitable
            // and then cannot be invalidated again.
            fate = CONFLICT;
            access |= DOOMED;
            inevitableRequestedBefore = true;
            throw TxnControl.SIGNAL;
        }
        readVersion = now;
        if (Recorder.ENABLED) {
            Recorder.becameInevitable(this);
        }
        if (Jfr.on()) {
            Jfr.becameInevitable(this);
        }
    }

    /** Where this thread's conflicts happened: its log's, or, when only JFR records, its own. */
    ConflictSites sites() {
        return rec != null ? rec.conflicts : Jfr.sites(this);
    }

    private void takeInevitableToken() {
        Inevitability.acquire(this);
        inevitable = true;
        counters.inevitables++;
    }

    /** {@link Stm#retry()} inside this (active) transaction. */
    void requestRetry() {
        if (fate != LIVE) {
            throw TxnControl.SIGNAL;
        }
        if (inevitableRequested) {
            throw new IllegalStateException("Stm.retry() in an inevitable transaction: it cannot be rolled back");
        }
        if (reads.size == 0) {
            throw new IllegalStateException("Stm.retry() in a transaction that read no Ref would block forever");
        }
        fate = RETRY;
        access |= DOOMED;
        throw TxnControl.SIGNAL;
    }

    // =============================================================== deferred effects

    void defer(TransactionQueue queue, Runnable task) {
        deferEffect(queue, task);
    }

    /** {@link Stm#afterCommit} inside this (active) transaction. */
    void afterCommit(Runnable action) {
        deferEffect(AFTER_COMMIT, action);
    }

    /** {@link Stm#afterRollback} inside this (active) transaction. */
    void afterRollback(Runnable action) {
        deferEffect(AFTER_ROLLBACK, action);
    }

    private void deferEffect(Object target, Runnable task) {
        if ((access & NOT_LIVE) != 0) {
            throw notLive();
        }
        if (deferredTasks == null) {
            deferredQueues = new Object[4];
            deferredTasks = new Runnable[4];
        } else if (deferredCount == deferredTasks.length) {
            deferredQueues = Arrays.copyOf(deferredQueues, deferredCount * 2);
            deferredTasks = Arrays.copyOf(deferredTasks, deferredCount * 2);
        }
        deferredQueues[deferredCount] = target;
        deferredTasks[deferredCount] = task;
        deferredCount++;
    }

    /**
     * After a commit, the transaction over: publishes the queue tasks and runs the afterCommit
     * actions, in registration order. An action that throws does not stop the others; the first
     * exception is thrown at the end, the later ones suppressed in it.
     */
    private void publishDeferred() {
        int n = deferredCount;
        Object[] qs = deferredQueues;
        Runnable[] ts = deferredTasks;
        deferredCount = 0;
        // Detached while actions run: one that starts a transaction registers into fresh arrays.
        deferredQueues = null;
        deferredTasks = null;
        Throwable first = null;
        for (int i = 0; i < n; i++) {
            Object q = qs[i];
            Runnable t = ts[i];
            qs[i] = null;
            ts[i] = null;
            if (q instanceof TransactionQueue queue) {
                queue.enqueue(t);
            } else if (q == AFTER_COMMIT) {
                first = runAction(t, first);
            }
        }
        if (deferredTasks == null) {
            deferredQueues = qs;
            deferredTasks = ts;
        }
        if (first != null) {
            throw Txn.<RuntimeException>sneakyThrow(first);
        }
    }

    /** Drops the effects of a lost attempt, keeping its afterRollback actions for {@link #runRollbackActions}. */
    private void clearDeferred() {
        int n = deferredCount;
        if (n != 0) {
            Runnable[] actions = null;
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (deferredQueues[i] == AFTER_ROLLBACK) {
                    if (actions == null) {
                        actions = new Runnable[n - i];
                    }
                    actions[k++] = deferredTasks[i];
                }
            }
            if (actions != null) {
                rollbackActions = k == actions.length ? actions : Arrays.copyOf(actions, k);
            }
            Arrays.fill(deferredQueues, 0, n, null);
            Arrays.fill(deferredTasks, 0, n, null);
            deferredCount = 0;
        }
    }

    /**
     * Runs the afterRollback actions of the attempt just rolled back, if any, in registration
     * order: called once the attempt is over (this thread then runs no transaction, so an action
     * may start one). An action's exception does not stop the others. With {@code failure} (the
     * exception that rolled the transaction back), their exceptions are added to it as
     * suppressed; without, the first is thrown (the others suppressed in it): the transaction
     * is not re-run, and the inevitable token, if this thread kept it for the re-run, is
     * released.
     */
    private void runRollbackActions(Throwable failure) {
        Runnable[] actions = rollbackActions;
        if (actions == null) {
            return;
        }
        rollbackActions = null;
        // The re-run is the same transaction: keep its numbers across transactions the actions run.
        long s = serial;
        int a = attempt;
        Throwable first = failure;
        try {
            for (Runnable action : actions) {
                first = runAction(action, first);
            }
        } finally {
            serial = s;
            attempt = a;
        }
        if (first != null && failure == null) {
            if (inevitable) {
                inevitable = false;
                Inevitability.release();
            }
            throw Txn.<RuntimeException>sneakyThrow(first);
        }
    }

    /** Runs an after-commit or after-rollback action; returns the first failure so far. */
    private static Throwable runAction(Runnable action, Throwable first) {
        try {
            action.run();
        } catch (Throwable t) {
            if (first == null) {
                return t;
            }
            if (t != first) {
                first.addSuppressed(t);
            }
        }
        return first;
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }
}
