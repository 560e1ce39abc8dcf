package dev.stmlog.agent.clojure;

import dev.stmlog.agent.AccessHooks;
import dev.stmlog.agent.ContendedRefs;
import dev.stmlog.agent.RefInfo;
import dev.stmlog.agent.Recording;
import dev.stmlog.agent.ThreadRecord;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.WaitKind;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.function.LongSupplier;

/**
 * What the advice in {@code clojure.lang.LockingTransaction} records, through the calling
 * thread's {@link ThreadRecord}. Clojure throws one and the same {@code RetryEx} for every cause
 * of a retry, so the cause is told by the method it leaves (the agent's README has the table):
 *
 * <ul>
 *   <li>{@code doGet}: no version of the ref old enough for the read point (a read fault):
 *       write-read, met at the read;</li>
 *   <li>{@code lock} after the write lock was taken: a newer commit since the read point:
 *       write-write, met at the write;</li>
 *   <li>{@code barge} returning false: another running transaction holds the ref and cannot be
 *       barged (it is older, or this one is too young to barge): write-write, met at the write
 *       (or at commit, for a commuted ref); the {@code blockAndBail} that follows is a lock
 *       wait, after the abort;</li>
 *   <li>{@code tryWriteLock}: the ref's write lock was not had within LOCK_WAIT_MSECS (a
 *       committer or an {@code ensure} holds it): write-write, with a lock wait of that long;</li>
 *   <li>{@code doEnsure}: a newer commit, or a running writer ({@code blockAndBail}): write-read;</li>
 *   <li>an older transaction barged this one (its status KILLED at {@code stop}): write-write, the
 *       other side being the barger's thread and its write of the ref;</li>
 *   <li>a retry none of these told (at commit, a commuted ref that was ensured had changed):
 *       write-read, told when the next attempt starts.</li>
 * </ul>
 *
 * An attempt that ends with none of these and whose transaction then throws was rolled back by
 * an exception (the user's code, a validator).
 */
public final class ClojureRecorder {
    // LockingTransaction's statuses, the same from 1.10 to 1.12.
    private static final int COMMITTED = 4;
    private static final int RETRY = 2;
    private static final String RETRY_EX = "clojure.lang.LockingTransaction$RetryEx";
    private static final String RETRY_LIMIT_MESSAGE = "Transaction failed after reaching retry limit";
    /** The mark written when a transaction gives up at Clojure's RETRY_LIMIT. */
    public static final String RETRY_LIMIT_MARK = "clojure.retry-limit";

    private static final StackWalker WALKER = StackWalker.getInstance();
    /** Barged attempts ({@code Info}, weakly) and who barged them, until the victim notices. */
    private static final Map<Object, Barge> BARGES = Collections.synchronizedMap(new WeakHashMap<>());
    private static final ClassValue<MethodHandle> RUNNING = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                return MethodHandles.publicLookup().findVirtual(type, "running", MethodType.methodType(boolean.class));
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
    };
    private static final ClassValue<VarHandle> START_TIME = new ClassValue<>() {
        @Override
        protected VarHandle computeValue(Class<?> type) {
            try {
                return MethodHandles.privateLookupIn(type, MethodHandles.lookup()).findVarHandle(type, "startTime", long.class);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };
    private static final ClassValue<VarHandle> TINFO = new ClassValue<>() {
        @Override
        protected VarHandle computeValue(Class<?> type) {
            try {
                Class<?> info = Class.forName(ClojureRefs.TX + "$Info", false, type.getClassLoader());
                return MethodHandles.privateLookupIn(type, MethodHandles.lookup()).findVarHandle(type, "tinfo", info);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };
    private static volatile long lockWaitNanos = -1;
    /** This recorder's slot in each {@link ThreadRecord}: its {@link State}. */
    private static final int SLOT = ThreadRecord.newStmSlot();

    private ClojureRecorder() {
    }

    /** One thread's state besides its {@link ThreadRecord}. */
    private static final class State implements LongSupplier {
        final ThreadRecord rec;
        /** The thread's LockingTransaction, whose {@code startTime} starts its first attempts. */
        Object tx;
        /** Between the first attempt's start and {@code run}'s end: later attempts are re-runs. */
        boolean inTransaction;
        /** The attempt's cause of retry has been recorded (a contention); it ends as a conflict. */
        boolean causeRecorded;
        /** The attempt ended untold ({@code stop} with no cause): when, until told (0: none). */
        long untoldEnd;
        /** The ref of the last ensure (the blockAndBail that follows an ensure is on it). */
        Object lastRef;

        State(ThreadRecord rec) {
            this.rec = rec;
            rec.startTimes(this);
        }

        /** The first attempt's start: Clojure's own clock reading, {@code startTime} (0 when it cannot be read). */
        @Override
        public long getAsLong() {
            Object t = tx;
            if (t == null) return 0;
            VarHandle h = START_TIME.get(t.getClass());
            return h == null ? 0 : (long) h.get(t);
        }
    }

    /** Who barged an attempt, and where: the older transaction's thread, site and ref. */
    private record Barge(long thread, int site, Object ref) {
    }

    /** The thread's state, kept in its {@link ThreadRecord}: no look-up besides {@link Recording#thread()}'s. */
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
     * {@code run} starts an attempt. A first attempt reads no clock: Clojure reads it right after
     * ({@code startTime}), which is its start if anything is recorded in it; a re-run is timed
     * from now. Small, as {@link #attemptEnded}: both are inlined into {@code run}'s C2
     * compilation, whose inlining budget (DesiredMethodLimit) the commit path needs; the rest is
     * out of line.
     */
    public static void attemptStarted(Object tx) {
        State s = state();
        if (s.inTransaction || s.untoldEnd != 0 || AccessHooks.wanted()) {
            unusualStart(s, tx);
            return;
        }
        s.inTransaction = true;
        s.causeRecorded = false;
        s.tx = tx;
        s.rec.attemptStarted(0);
    }

    /** A re-run, an attempt after an untold end, or the first start after the first conflict. */
    private static void unusualStart(State s, Object tx) {
        AccessHooks.installIfWanted(); // before the clock read: in no attempt's time
        if (s.untoldEnd != 0) untoldRetry(s);
        s.causeRecorded = false;
        s.tx = tx;
        if (s.inTransaction) {
            s.rec.attemptStarted(System.nanoTime());
        } else {
            s.inTransaction = true;
            s.rec.attemptStarted(0);
        }
    }

    public static void attemptEnded(int status, Object info) {
        State s = state();
        if (status != COMMITTED) {
            notCommitted(s, status, info);
            return;
        }
        s.rec.committed();
        s.rec.transactionEnded(); // run returns now
        s.inTransaction = false;
        s.lastRef = null;
    }

    private static void notCommitted(State s, int status, Object info) {
        long now = System.nanoTime();
        if (status == RETRY) {
            if (s.causeRecorded) {
                s.rec.aborted(now, AbortCause.CONFLICT);
                return;
            }
            if (!running(info)) { // KILLED: an older transaction barged it
                barged(s, info, now);
                s.causeRecorded = true;
                s.rec.aborted(now, AbortCause.CONFLICT);
                return;
            }
        }
        s.untoldEnd = now; // an exception, or a retry at commit that no hook told: see transactionEnded
    }

    /**
     * {@code runInTransaction} throws: the user's exception, or Clojure's at its retry limit;
     * or, inside a running attempt (no end told yet), a nested dosync's body threw, which its
     * transaction may catch: nothing has ended then.
     */
    public static void transactionFailed(Throwable thrown) {
        State s = state();
        if (s.untoldEnd == 0 && s.rec.inAttempt()) return;
        boolean retryLimit = thrown instanceof RuntimeException && RETRY_LIMIT_MESSAGE.equals(thrown.getMessage());
        if (s.untoldEnd != 0) {
            if (retryLimit) untoldRetry(s);
            else {
                s.rec.aborted(s.untoldEnd, AbortCause.EXCEPTION);
                s.untoldEnd = 0;
            }
        }
        if (retryLimit) s.rec.mark(System.nanoTime(), RETRY_LIMIT_MARK, 1);
        s.rec.transactionEnded();
        s.lastRef = null;
        s.inTransaction = false;
    }

    /** The last attempt retried at commit for a cause no hook saw: an ensured, commuted ref had changed. */
    private static void untoldRetry(State s) {
        long end = s.untoldEnd;
        s.untoldEnd = 0;
        s.rec.lost(end, ContentionKind.WRITE_READ, null, 0, -1, 0, ClojureFrames.STYLE);
        s.rec.aborted(end, AbortCause.CONFLICT);
    }

    private static void barged(State s, Object info, long now) {
        Barge b = BARGES.remove(info);
        RefInfo ref = b == null ? null : contended(b.ref);
        s.rec.lost(now, ContentionKind.WRITE_WRITE, ref, 0, b == null ? -1 : b.thread, b == null ? 0 : b.site,
                ClojureFrames.STYLE);
    }

    // ---------------------------------------------------------------- accesses

    // The accesses' advice is there only from the first conflict on (AccessHooks).

    public static void read(Object ref) {
        state().rec.access(ref, AccessKind.READ, ClojureFrames.STYLE);
    }

    public static void wrote(Object ref) {
        state().rec.access(ref, AccessKind.WRITE, ClojureFrames.STYLE);
    }

    public static void ensured(Object ref) {
        read(ref);
    }

    public static void ensuring(Object ref) {
        state().lastRef = ref;
    }

    // ---------------------------------------------------------------- causes

    public static void readFailed(Object ref, Object info, Throwable thrown) {
        metAtAccess(ref, info, thrown, ContentionKind.WRITE_READ);
    }

    public static void ensureFailed(Object ref, Object info, Throwable thrown) {
        metAtAccess(ref, info, thrown, ContentionKind.WRITE_READ);
    }

    public static void lockFailed(Object ref, Throwable thrown) {
        metAtAccess(ref, null, thrown, ContentionKind.WRITE_WRITE);
    }

    /** A retry met at the access to {@code ref} (unless the attempt was barged, told at its end). */
    private static void metAtAccess(Object ref, Object info, Throwable thrown, ContentionKind kind) {
        if (!isRetry(thrown)) return;
        State s = state();
        if (s.causeRecorded || info != null && !running(info)) return;
        s.causeRecorded = true;
        int victim = s.rec.capture(ClojureFrames.STYLE, ThreadRecord.BUDGET_PERCENT);
        s.rec.lost(System.nanoTime(), kind, contended(ref), victim, -1, 0, ClojureFrames.STYLE);
    }

    public static void lockTimedOut(Object ref, Throwable thrown) {
        if (!isRetry(thrown)) return;
        State s = state();
        if (s.causeRecorded) return;
        s.causeRecorded = true;
        long now = System.nanoTime();
        long since = now - lockWaitNanos(ref);
        int victim = atCommit() ? 0 : s.rec.capture(ClojureFrames.STYLE, ThreadRecord.BUDGET_PERCENT);
        s.rec.lost(since, ContentionKind.WRITE_WRITE, contended(ref), victim, -1, 0, ClojureFrames.STYLE);
        s.rec.waitBegin(since, WaitKind.LOCK);
        s.rec.waitEnd(now, WaitKind.LOCK);
    }

    public static void barge(Object other, boolean barged, Object sets, Object commutes) {
        State s = state();
        Object ref = heldBy(other, sets, commutes);
        if (barged) {
            RefInfo info = ref == null ? null : contended(ref);
            int site = atCommit() ? 0 : s.rec.capture(ClojureFrames.STYLE, ThreadRecord.BUDGET_PERCENT);
            s.rec.wrote(info, site);
            BARGES.put(other, new Barge(s.rec.threadId(), site, ref));
            return;
        }
        if (s.causeRecorded) return;
        s.causeRecorded = true; // a refused barge always ends in a retry
        int victim = atCommit() ? 0 : s.rec.capture(ClojureFrames.STYLE, ThreadRecord.BUDGET_PERCENT);
        s.rec.lost(System.nanoTime(), ContentionKind.WRITE_WRITE, ref == null ? null : contended(ref), victim, -1, 0,
                ClojureFrames.STYLE);
    }

    /**
     * {@code blockAndBail} starts: its cause when it is an ensure's (a running writer holds the
     * ref: a lock's cause was its refused barge); returns the time.
     */
    public static long blocking(Object other) {
        State s = state();
        long now = System.nanoTime();
        if (!s.causeRecorded) {
            s.causeRecorded = true;
            int victim = s.rec.capture(ClojureFrames.STYLE, ThreadRecord.BUDGET_PERCENT);
            s.rec.lost(now, ContentionKind.WRITE_READ, s.lastRef == null ? null : contended(s.lastRef), victim, -1, 0,
                    ClojureFrames.STYLE);
        }
        return now;
    }

    /** {@code blockAndBail} ends: the wait for the other transaction, after the abort it began with. */
    public static void blocked(long since) {
        if (since == 0) return;
        State s = state();
        s.rec.waitBegin(since, WaitKind.LOCK);
        s.rec.waitEnd(System.nanoTime(), WaitKind.LOCK);
    }

    // ---------------------------------------------------------------- internals

    /**
     * The ref of this transaction's writes ({@code sets}, claimed in {@code lock}) or commutes
     * (locked at commit) that {@code holder}, another transaction's {@code Info}, holds: the one
     * being barged for. Null when none is found.
     */
    private static Object heldBy(Object holder, Object sets, Object commutes) {
        Object ref = heldBy(holder, sets instanceof Iterable<?> i ? i : null);
        return ref != null ? ref : heldBy(holder, commutes instanceof Map<?, ?> m ? m.keySet() : null);
    }

    private static Object heldBy(Object holder, Iterable<?> refs) {
        if (refs == null) return null;
        for (Object ref : refs) {
            VarHandle tinfo = TINFO.get(ref.getClass());
            if (tinfo != null && tinfo.get(ref) == holder) return ref;
        }
        return null;
    }

    private static RefInfo contended(Object ref) {
        return ContendedRefs.contended(ref, ClojureLabels::label);
    }

    private static boolean isRetry(Throwable t) {
        return t != null && t.getClass().getName().equals(RETRY_EX);
    }

    /** {@code Info.running()}; true when it cannot be told (nothing is then blamed on a barge). */
    private static boolean running(Object info) {
        if (info == null) return true;
        try {
            MethodHandle m = RUNNING.get(info.getClass());
            return m == null || (boolean) m.invoke(info);
        } catch (Throwable e) {
            return true;
        }
    }

    /**
     * Whether the hook's method was called by {@code run} itself (at commit, after the
     * transaction's code returned) rather than by {@code lock} (at the write, in its code).
     */
    private static boolean atCommit() {
        return WALKER.walk(frames -> frames
                .filter(f -> f.getClassName().equals(ClojureRefs.TX))
                .map(StackWalker.StackFrame::getMethodName)
                .filter(m -> !m.equals("tryWriteLock") && !m.equals("barge"))
                .findFirst()
                .map("run"::equals)
                .orElse(false));
    }

    /** LockingTransaction.LOCK_WAIT_MSECS, in ns (100 ms in 1.10 to 1.12). */
    private static long lockWaitNanos(Object ref) {
        long n = lockWaitNanos;
        if (n < 0) {
            n = 100_000_000L;
            try {
                Class<?> tx = Class.forName(ClojureRefs.TX, false, ref.getClass().getClassLoader());
                n = tx.getField("LOCK_WAIT_MSECS").getInt(null) * 1_000_000L;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // the default, which every supported version has
            }
            lockWaitNanos = n;
        }
        return n;
    }
}
