package dev.stmlog.agent.clojure;

import net.bytebuddy.asm.Advice;

/**
 * The advice inlined into {@code clojure.lang.LockingTransaction}: each only hands its method's
 * arguments to {@link ClojureRecorder} (public, as the inlined code runs in Clojure's class), and
 * suppresses anything thrown, so that a recorder failure never reaches the program. On the
 * common path the accesses' advice costs a volatile read, and the attempt's an array look-up
 * (by thread id) at its start and at its end; the rest runs only where Clojure retries.
 */
final class ClojureAdvice {
    private ClojureAdvice() {
    }

    /** {@code getReadPoint()}: called by {@code run} at the start of each attempt. */
    static final class AttemptStart {
        @Advice.OnMethodExit(suppress = Throwable.class)
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

    /** {@code run(fn)} throws: the transaction ends with an exception (its commit ends it otherwise). */
    static final class Run {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Thrown Throwable thrown) {
            if (thrown != null) ClojureRecorder.transactionFailed(thrown);
        }
    }

    /** {@code doGet(ref)}: a read ({@code deref}, the read of {@code alter}). */
    static final class Get {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object ref, @Advice.Thrown Throwable thrown,
                         @Advice.FieldValue("info") Object info) {
            if (thrown != null) ClojureRecorder.readFailed(ref, info, thrown);
            else ClojureRecorder.read(ref);
        }
    }

    /** {@code doSet(ref, val)}: a write ({@code alter}, {@code ref-set}); its failures are its {@code lock}'s. */
    static final class Set {
        @Advice.OnMethodExit(suppress = Throwable.class)
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

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object ref, @Advice.Thrown Throwable thrown,
                         @Advice.FieldValue("info") Object info) {
            if (thrown != null) ClojureRecorder.ensureFailed(ref, info, thrown);
            else ClojureRecorder.ensured(ref);
        }
    }

    /** {@code doCommute(ref, fn, args)}: a {@code commute}, recorded as a write (it is one, at commit). */
    static final class Commute {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object ref) {
            ClojureRecorder.wrote(ref);
        }
    }

    /** {@code lock(ref)}: the write's claim of the ref, during the transaction's code. */
    static final class Lock {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object ref, @Advice.Thrown Throwable thrown) {
            if (thrown != null) ClojureRecorder.lockFailed(ref, thrown);
        }
    }

    /** {@code tryWriteLock(ref)}: the ref's write lock, in {@code lock} or at commit; times out after LOCK_WAIT_MSECS. */
    static final class TryWriteLock {
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object ref, @Advice.Thrown Throwable thrown) {
            if (thrown != null) ClojureRecorder.lockTimedOut(ref, thrown);
        }
    }

    /**
     * {@code barge(other)}: true when this (older) transaction killed {@code other}, the ref's
     * holder. The ref is the one of the transaction's writes or commutes that {@code other} holds.
     */
    static final class Barge {
        @Advice.OnMethodExit(suppress = Throwable.class)
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

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long since) {
            ClojureRecorder.blocked(since);
        }
    }
}
