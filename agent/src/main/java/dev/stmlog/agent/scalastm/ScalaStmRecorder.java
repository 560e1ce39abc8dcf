package dev.stmlog.agent.scalastm;

import dev.stmlog.agent.AccessHooks;
import dev.stmlog.agent.ContendedRefs;
import dev.stmlog.agent.Recording;
import dev.stmlog.agent.RefInfo;
import dev.stmlog.agent.ThreadRecord;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.WaitKind;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * What the advice in ScalaSTM's classes records, through the calling thread's
 * {@link ThreadRecord}. ScalaSTM names the cause of every rollback itself (a
 * {@code Txn.RollbackCause}, with a category and the handle that triggered it for an optimistic
 * failure), so the cause is read, not guessed; the agent's README has the table. Where the victim
 * was when it met the conflict is told by who asked for the rollback:
 *
 * <ul>
 *   <li>its own thread, while the block ran: at the access whose validation failed (a read that
 *       found a newer version, a write that found the ref owned by a stronger transaction): the
 *       victim's stack is taken there;</li>
 *   <li>its own thread, at commit (validation of the read set, after the block returned): the
 *       re-run's first access to the ref completes it ({@link ThreadRecord#lost});</li>
 *   <li>another thread, a stronger writer that stole a ref this attempt owned: that thread and
 *       its write of the ref are the other side, and the victim's re-run completes its own.</li>
 * </ul>
 *
 * Only top-level attempts are transactions: a nested block's partial rollback (its block re-run
 * alone) is not recorded; the cause of the top level's rollback is the one recorded.
 */
public final class ScalaStmRecorder {
    /** The mark written for a rollback that is no contention, named after its cause (see the README). */
    public static final String ROLLBACK_MARK = "scalastm.rollback.";

    /** This recorder's slot in each {@link ThreadRecord}: its {@link State}, found with the record (a ThreadLocal was a second look-up per attempt start and end). */
    private static final int SLOT = ThreadRecord.newStmSlot();
    private static final StackWalker WALKER = StackWalker.getInstance();
    /** Each thread's {@code InTxnImpl} (one per thread, reused by all its transactions), weakly, to its thread id. */
    private static final Map<Object, Long> THREADS = Collections.synchronizedMap(new WeakHashMap<>());
    /** Root levels rolled back by another thread's steal, weakly, and who stole: until the victim notices. */
    private static final Map<Object, Steal> STEALS = Collections.synchronizedMap(new WeakHashMap<>());

    private ScalaStmRecorder() {
    }

    /** One thread's state besides its {@link ThreadRecord}. */
    private static final class State {
        final ThreadRecord rec;
        /** The thread's {@code InTxnImpl}. */
        Object txn;
        /** Between a transaction's first attempt and its end: later attempts are re-runs. */
        boolean inTransaction;
        /** The owner's root level at the write-write conflict being resolved, for the rollback that may follow. */
        Object owner;
        /** The rollback this thread asked of its own transaction, by cause (identity), until the attempt ends. */
        Object askedCause;
        long askedAt;
        int askedVictim;
        long askedOther;
        /** The steal this thread is asking for, until {@code requestRollback} returns. */
        Steal stealing;

        State(ThreadRecord rec) {
            this.rec = rec;
        }
    }

    /** Who stole a ref from a victim, where, when, and for which cause (identity). */
    private record Steal(long thread, int site, long time, Object cause) {
    }

    private static State state() {
        ThreadRecord r = Recording.thread();
        return r.stmState(SLOT) instanceof State s ? s : newState(r);
    }

    private static State newState(ThreadRecord r) {
        State s = new State(r);
        r.stmState(SLOT, s);
        return s;
    }

    // ---------------------------------------------------------------- attempts

    /**
     * {@code topLevelAttempt} starts an attempt. A transaction's first attempt reads no clock (a
     * clock read measured 45 ns on this machine, against some 100 ns for a one-increment ScalaSTM
     * transaction, and ScalaSTM keeps no start time of its own): it is timed by the ticker, and
     * if something gets recorded in it, it starts at the ticker's estimate of its start
     * ({@link ThreadRecord}). A re-run is timed from now.
     */
    public static void attemptStarted(Object txn) {
        if (AccessHooks.wanted()) AccessHooks.installIfWanted(); // before the clock read: in no attempt's time
        State s = state();
        if (s.txn != txn) {
            s.txn = txn;
            THREADS.put(txn, s.rec.threadId());
        }
        s.owner = null;
        s.askedCause = null;
        if (s.inTransaction) {
            s.rec.attemptStarted(System.nanoTime());
        } else {
            s.inTransaction = true;
            s.rec.attemptStarted(0);
        }
    }

    public static void committed() {
        State s = state();
        s.rec.committed();
        s.rec.transactionEnded();
        s.askedCause = null;
        s.inTransaction = false;
    }

    /** An explicit {@code retry}: the attempt ends, and {@code awaitRetry} (recorded as a wait) follows. */
    public static void retried() {
        State s = state();
        s.rec.aborted(System.nanoTime(), AbortCause.EXPLICIT_RETRY);
        s.askedCause = null;
    }

    public static long awaiting() {
        long now = System.nanoTime();
        state().rec.waitBegin(now, WaitKind.RETRY);
        return now;
    }

    public static void awaited(long since) {
        if (since != 0) state().rec.waitEnd(System.nanoTime(), WaitKind.RETRY);
    }

    /** The attempt rolled back for {@code cause} (anything but an explicit retry); {@code level} is its root level. */
    public static void rolledBack(Object cause, Object level) {
        State s = state();
        long now = System.nanoTime();
        Object asked = s.askedCause;
        s.askedCause = null;
        if (ScalaStmCauses.isUncaughtException(cause)) {
            s.rec.aborted(now, AbortCause.EXCEPTION);
            s.inTransaction = false;
            return;
        }
        OptimisticCategory category = ScalaStmCauses.isOptimistic(cause)
                ? OptimisticCategory.of(ScalaStmCauses.category(cause)) : null;
        if (category != null && category.kind != null) {
            Object ref = ScalaStmCauses.refOf(ScalaStmCauses.trigger(cause));
            long time = now;
            int victim = 0;
            long other = -1;
            int otherSite = 0;
            if (asked == cause) {
                time = s.askedAt;
                victim = s.askedVictim;
                other = s.askedOther;
            }
            if (category == OptimisticCategory.STEAL_BY_HIGHER_PRIORITY) {
                Steal steal = level == null ? null : STEALS.remove(level);
                if (steal != null && steal.cause == cause) {
                    time = steal.time;
                    other = steal.thread;
                    otherSite = steal.site;
                }
            }
            s.rec.lost(time, category.kind, ref == null ? null : contended(ref), victim, other, otherSite,
                    ScalaStmFrames.STYLE);
            s.rec.aborted(now, AbortCause.CONFLICT);
            return;
        }
        // No contention: ScalaSTM's own restarts, an external decider, a cause of the program's own
        // (Txn.rollback), a commit barrier's cancel, atomic.unrecorded's end. A transient one re-runs
        // the block as a conflict does; a permanent one leaves the atomic block as an exception would.
        boolean again = ScalaStmCauses.isTransient(cause);
        s.rec.aborted(now, again ? AbortCause.CONFLICT : AbortCause.EXCEPTION);
        if (!again) s.inTransaction = false;
        String what = category != null ? category.symbol
                : ScalaStmCauses.isOptimistic(cause) ? String.valueOf(ScalaStmCauses.category(cause))
                : ScalaStmCauses.name(cause);
        s.rec.mark(now, ROLLBACK_MARK + what, 1);
    }

    // ---------------------------------------------------------------- causes

    /** {@code resolveWriteWriteConflict}: the thread wants a ref that {@code owningRoot}'s transaction owns. */
    public static void ownerMet(Object owningRoot) {
        state().owner = owningRoot;
    }

    /**
     * A rollback of {@code level} (of {@code txn}) for {@code cause} is asked for by the calling
     * thread, before it takes effect: of its own transaction, or of another's (a steal, which
     * {@link #rollbackAnswered} then confirms or withdraws).
     */
    public static void rollbackAsked(Object level, Object txn, Object cause) {
        if (!ScalaStmCauses.isOptimistic(cause)) return;
        State s = state();
        OptimisticCategory category = OptimisticCategory.of(ScalaStmCauses.category(cause));
        if (category == null || category.kind == null) return;
        if (txn == s.txn) {
            if (s.askedCause == cause) return; // a nested level's rollback passed on to its parent
            s.askedCause = cause;
            s.askedAt = System.nanoTime();
            s.askedVictim = atCommit() ? 0 : s.rec.capture(ScalaStmFrames.STYLE, ThreadRecord.BUDGET_PERCENT);
            s.askedOther = category.kind == ContentionKind.WRITE_WRITE ? threadOf(s.owner) : -1;
            return;
        }
        if (category != OptimisticCategory.STEAL_BY_HIGHER_PRIORITY) return;
        // Another transaction's: this thread, of higher priority, steals a ref it owns. Known
        // before the victim can notice its rollback, which it may do at once.
        long now = System.nanoTime();
        int site = s.rec.capture(ScalaStmFrames.STYLE, ThreadRecord.BUDGET_PERCENT);
        Steal steal = new Steal(s.rec.threadId(), site, now, cause);
        s.stealing = steal;
        STEALS.put(level, steal);
    }

    /** {@code requestRollback(cause)} of {@code level} returned {@code status}: a steal took, or not (its owner was committing). */
    public static void rollbackAnswered(Object level, Object cause, Object status) {
        State s = state();
        Steal steal = s.stealing;
        if (steal == null || steal.cause != cause) return;
        s.stealing = null;
        if (!ScalaStmCauses.rolledBackWith(status, cause)) {
            STEALS.remove(level, steal); // unless the victim took it already
            return;
        }
        Object ref = ScalaStmCauses.refOf(ScalaStmCauses.trigger(cause));
        if (ref != null) s.rec.wrote(contended(ref), steal.site);
    }

    // ---------------------------------------------------------------- accesses

    public static void read(Object handle) {
        if (ContendedRefs.any()) state().rec.access(ScalaStmCauses.accessedRef(handle), AccessKind.READ, ScalaStmFrames.STYLE);
    }

    public static void wrote(Object handle) {
        if (ContendedRefs.any()) state().rec.access(ScalaStmCauses.accessedRef(handle), AccessKind.WRITE, ScalaStmFrames.STYLE);
    }

    // ---------------------------------------------------------------- internals

    private static RefInfo contended(Object ref) {
        return ContendedRefs.contended(ref, ScalaStmLabels::label);
    }

    /**
     * Whether the calling thread is committing its attempt ({@code attemptTopLevelComplete}, after
     * the block returned) rather than running the block: a stack walk, on a rollback only, which
     * spares every attempt a hook at its completion (ScalaSTM's transactions are short: a
     * one-increment one measures about 100 ns, so a thread-local look-up per attempt counts).
     */
    private static boolean atCommit() {
        return WALKER.walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("attemptTopLevelComplete")
                && f.getClassName().equals(ScalaStm.TXN)));
    }

    /** The thread of the transaction whose root level is {@code level}, -1 when not known. */
    private static long threadOf(Object level) {
        if (level == null) return -1;
        Object txn = ScalaStmCauses.txnOf(level);
        Long thread = txn == null ? null : THREADS.get(txn);
        return thread == null ? -1 : thread;
    }
}
