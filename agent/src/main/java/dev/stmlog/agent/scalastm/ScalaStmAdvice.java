package dev.stmlog.agent.scalastm;

import net.bytebuddy.asm.Advice;

/**
 * The advice inlined into ScalaSTM's {@code InTxnImpl}, {@code TxnLevelImpl} and
 * {@code AccessHistory}: each only hands its method's arguments to {@link ScalaStmRecorder}
 * (public, as the inlined code runs in ScalaSTM's classes), typed as {@code Object} so that
 * nothing here links to ScalaSTM, and suppresses anything thrown, so that a recorder failure
 * never reaches the program. On the common path the accesses' advice costs a volatile read and
 * the attempt's a thread-local look-up and a clock read at its start and its end.
 */
final class ScalaStmAdvice {
    private ScalaStmAdvice() {
    }

    /** {@code InTxnImpl.topLevelAttempt(prevFailures, level, block)}: each attempt of a top-level {@code atomic}. */
    static final class AttemptStart {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object txn) {
            ScalaStmRecorder.attemptStarted(txn);
        }
    }

    /** {@code InTxnImpl.finishTopLevelCommit()}: the attempt has committed. */
    static final class Commit {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            ScalaStmRecorder.committed();
        }
    }

    /** {@code InTxnImpl.finishTopLevelRollback(status, cause)}: the attempt rolled back for any cause but {@code retry}. */
    static final class Rollback {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(1) Object cause, @Advice.FieldValue("_currentLevel") Object level) {
            ScalaStmRecorder.rolledBack(cause, level);
        }
    }

    /** {@code InTxnImpl.finishTopLevelRetry(status, cause)}: the attempt rolled back for an explicit {@code retry}. */
    static final class Retry {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter() {
            ScalaStmRecorder.retried();
        }
    }

    /** {@code InTxnImpl.awaitRetry(timeout)}: blocked until something the attempt read changes (or the timeout). */
    static final class AwaitRetry {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static long enter() {
            return ScalaStmRecorder.awaiting();
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Enter long since) {
            ScalaStmRecorder.awaited(since);
        }
    }

    /** {@code InTxnImpl.resolveWriteWriteConflict(owningRoot, contended)}: this thread wants a ref another transaction owns. */
    static final class WriteWrite {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object owningRoot) {
            ScalaStmRecorder.ownerMet(owningRoot);
        }
    }

    /** {@code TxnLevelImpl.forceRollback(cause)}: the level's own thread rolls it back. */
    static final class ForceRollback {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object level, @Advice.FieldValue("txn") Object txn, @Advice.Argument(0) Object cause) {
            ScalaStmRecorder.rollbackAsked(level, txn, cause);
        }
    }

    /**
     * {@code TxnLevelImpl.requestRollback(cause)}: a rollback asked for by the level's own thread
     * or by another one (a steal). Told before it takes effect, so that the victim, which may
     * notice at once, finds who stole; then whether it took.
     */
    static final class RequestRollback {
        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.This Object level, @Advice.FieldValue("txn") Object txn, @Advice.Argument(0) Object cause) {
            ScalaStmRecorder.rollbackAsked(level, txn, cause);
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object level, @Advice.Argument(0) Object cause, @Advice.Return Object status) {
            ScalaStmRecorder.rollbackAnswered(level, cause, status);
        }
    }

    /** {@code AccessHistory.recordRead(handle, version)}: a transactional read. */
    static final class Read {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object handle) {
            ScalaStmRecorder.read(handle);
        }
    }

    /**
     * {@code AccessHistory.put(handle, ...)} and the write buffer's other writes: a transactional
     * write, once it returned (no exception handler is added: a write that throws is no write).
     */
    static final class Write {
        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object handle) {
            ScalaStmRecorder.wrote(handle);
        }
    }
}
