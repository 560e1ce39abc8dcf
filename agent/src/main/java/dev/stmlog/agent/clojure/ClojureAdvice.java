package dev.stmlog.agent.clojure;

import net.bytebuddy.asm.Advice;

/**
 * The advice inlined into {@code clojure.lang.LockingTransaction}: each only hands its method's
 * arguments to {@link ClojureRecorder} (public, as the inlined code runs in Clojure's class), and
 * suppresses anything thrown, so that a recorder failure never reaches the program. On the
 * common path the attempt's advice costs an array look-up (by thread id) at its start and at its
 * end and a few plain stores; the accesses' advice is there only from the program's first
 * conflict on ({@link dev.stmlog.agent.AccessHooks}); the rest runs only where Clojure retries.
 * The exits read the arguments as the method leaves them ({@code backupArguments = false}: no
 * copies at entry); LockingTransaction's methods never assign their parameters.
 */
final class ClojureAdvice {
    private ClojureAdvice() {
    }

    /** {@code getReadPoint()}: called by {@code run} at the start of each attempt. */
    static final class AttemptStart {
        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.This Object tx) {
            ClojureRecorder.attemptStarted(tx);
        }
    }

    /** {@code stop(status)}: the attempt ends (the first call while {@code info} is set). */
    static final class Stop {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) int status, @Advice.FieldValue("info") Object info) {
            if (info != null) ClojureRecorder.attemptEnded(status, info);
        }
    }

    /**
     * {@code runInTransaction(fn)} throws: the transaction ends with an exception (its commit
     * ends it otherwise), or a nested dosync's body threw inside it (the recorder tells them
     * apart). Not on {@code run}: its exit advice added 49 bytes to {@code run}'s own 1495, which
     * count against its C2 compilation's inlining budget (DesiredMethodLimit).
     */
    static final class RunInTransaction {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Thrown Throwable thrown) {
            if (thrown != null) ClojureRecorder.transactionFailed(thrown);
        }
    }

    /** {@code doGet(ref)}: a read ({@code deref}, the read of {@code alter}). */
    static final class Get {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Argument(0) Object ref, @Advice.Thrown Throwable thrown,
                         @Advice.FieldValue("info") Object info) {
            if (thrown != null) ClojureRecorder.readFailed(ref, info, thrown);
            else ClojureRecorder.read(ref);
        }
    }

    /** {@code doGet(ref)} before the first conflict: only its failure (a read fault), a cause. */
    static final class GetFailure {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Argument(0) Object ref, @Advice.Thrown Throwable thrown,
                         @Advice.FieldValue("info") Object info) {
            if (thrown != null) ClojureRecorder.readFailed(ref, info, thrown);
        }
    }

    /** {@code doSet(ref, val)}: a write ({@code alter}, {@code ref-set}); its failures are its {@code lock}'s. */
    static final class Set {
        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Argument(0) Object ref) {
            ClojureRecorder.wrote(ref);
        }
    }

    /** {@code doEnsure(ref)}: an {@code ensure}, recorded as a read that others' writes conflict with. */
    static final class Ensure {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object ref) {
            ClojureRecorder.ensuring(ref);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Argument(0) Object ref, @Advice.Thrown Throwable thrown,
                         @Advice.FieldValue("info") Object info) {
            if (thrown != null) ClojureRecorder.ensureFailed(ref, info, thrown);
            else ClojureRecorder.ensured(ref);
        }
    }

    /** {@code doEnsure(ref)} before the first conflict: its ref (a blockAndBail's) and its failure, a cause. */
    static final class EnsureFailure {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object ref) {
            ClojureRecorder.ensuring(ref);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Argument(0) Object ref, @Advice.Thrown Throwable thrown,
                         @Advice.FieldValue("info") Object info) {
            if (thrown != null) ClojureRecorder.ensureFailed(ref, info, thrown);
        }
    }

    /** {@code doCommute(ref, fn, args)}: a {@code commute}, recorded as a write (it is one, at commit). */
    static final class Commute {
        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Argument(0) Object ref) {
            ClojureRecorder.wrote(ref);
        }
    }

    /** {@code lock(ref)}: the write's claim of the ref, during the transaction's code. */
    static final class Lock {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Argument(0) Object ref, @Advice.Thrown Throwable thrown) {
            if (thrown != null) ClojureRecorder.lockFailed(ref, thrown);
        }
    }

    /** {@code tryWriteLock(ref)}: the ref's write lock, in {@code lock} or at commit; times out after LOCK_WAIT_MSECS. */
    static final class TryWriteLock {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Argument(0) Object ref, @Advice.Thrown Throwable thrown) {
            if (thrown != null) ClojureRecorder.lockTimedOut(ref, thrown);
        }
    }

    /**
     * {@code barge(other)}: true when this (older) transaction killed {@code other}, the ref's
     * holder. The ref is the one of the transaction's writes or commutes that {@code other} holds.
     */
    static final class Barge {
        @Advice.OnMethodExit(suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Argument(0) Object other, @Advice.Return boolean barged,
                         @Advice.FieldValue("sets") Object sets, @Advice.FieldValue("commutes") Object commutes) {
            ClojureRecorder.barge(other, barged, sets, commutes);
        }
    }

    /** {@code blockAndBail(other)}: the attempt stops and waits for {@code other} to end, then retries. */
    static final class BlockAndBail {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter(@Advice.Argument(0) Object other) {
            return ClojureRecorder.blocking(other);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class, backupArguments = false)
        static void exit(@Advice.Enter long since) {
            ClojureRecorder.blocked(since);
        }
    }
}
