package dev.stmlog.agent.scalastm;

import dev.stmlog.agent.AccessHooks;
import dev.stmlog.agent.Signatures;
import dev.stmlog.agent.StackStyle;
import dev.stmlog.agent.StmInstrumentation;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

/**
 * ScalaSTM's CCSTM ({@code scala.concurrent.stm}, through its Scala API or {@code japi.STM}):
 * three of its classes are transformed, {@code InTxnImpl} (a thread's transactions: their
 * top-level attempts, commits, rollbacks and {@code retry} waits), {@code TxnLevelImpl} (where a
 * rollback is asked for, with its cause, by the victim or by another thread) and
 * {@code AccessHistory} (the reads and writes, for the sites of contended refs). Checked against
 * 0.9.1; the version check accepts any version whose classes have these methods with these
 * descriptors (0.11.1's do). The agent's README says which record each hook gives.
 */
public final class ScalaStm implements StmInstrumentation {
    static final String TXN = "scala.concurrent.stm.ccstm.InTxnImpl";
    static final String LEVEL = "scala.concurrent.stm.ccstm.TxnLevelImpl";
    static final String HISTORY = "scala.concurrent.stm.ccstm.AccessHistory";
    static final String HANDLE = "scala.concurrent.stm.ccstm.Handle";
    static final String OPTIMISTIC = "scala.concurrent.stm.Txn$OptimisticFailureCause";

    private static final String STATUS = "Lscala/concurrent/stm/Txn$Status;";
    private static final String CAUSE = "Lscala/concurrent/stm/Txn$RollbackCause;";
    private static final String LEVEL_DESC = "Lscala/concurrent/stm/ccstm/TxnLevelImpl;";
    private static final String HANDLE_DESC = "Lscala/concurrent/stm/ccstm/Handle;";

    // The methods advised, with the descriptors the advice relies on.
    static final String TOP_LEVEL_ATTEMPT = "(I" + LEVEL_DESC + "Lscala/Function1;)Ljava/lang/Object;";
    /** Not advised: its frame on the stack tells a rollback met at commit ({@link ScalaStmRecorder}). */
    static final String ATTEMPT_COMPLETE = "()Z";
    static final String FINISH_COMMIT = "()V";
    static final String FINISH_ROLLBACK = "(" + STATUS + CAUSE + ")V";
    static final String AWAIT_RETRY = "(J)V";
    static final String RESOLVE_WW = "(" + LEVEL_DESC + "Ljava/lang/Object;)V";
    static final String FORCE_ROLLBACK = "(" + CAUSE + ")V";
    static final String REQUEST_ROLLBACK = "(" + CAUSE + ")" + STATUS;
    static final String RECORD_READ = "(" + HANDLE_DESC + "J)V";
    static final String PUT = "(" + HANDLE_DESC + "ZLjava/lang/Object;)V";

    /** AccessHistory's writes to its write buffer besides {@code put}: optional, each a write of its handle. */
    private static final String[] OTHER_WRITES = {"swap", "compareAndSetIdentity", "getAndTransform", "transformAndGet",
            "transformAndExtract", "getAndAdd"};

    @Override
    public String name() {
        return "ScalaSTM";
    }

    @Override
    public List<String> classNames() {
        return List.of(HISTORY, TXN, LEVEL);
    }

    @Override
    public String incompatibility(TypePool types) {
        Signatures s = new Signatures(types);
        return Signatures.first(
                s.method(TXN, "topLevelAttempt", TOP_LEVEL_ATTEMPT),
                s.method(TXN, "attemptTopLevelComplete", ATTEMPT_COMPLETE),
                s.method(TXN, "finishTopLevelCommit", FINISH_COMMIT),
                s.method(TXN, "finishTopLevelRollback", FINISH_ROLLBACK),
                s.method(TXN, "finishTopLevelRetry", FINISH_ROLLBACK),
                s.method(TXN, "awaitRetry", AWAIT_RETRY),
                s.method(TXN, "resolveWriteWriteConflict", RESOLVE_WW),
                s.field(TXN, "_currentLevel", LEVEL_DESC),
                s.method(LEVEL, "forceRollback", FORCE_ROLLBACK),
                s.method(LEVEL, "requestRollback", REQUEST_ROLLBACK),
                s.method(LEVEL, "txn", "()Lscala/concurrent/stm/ccstm/InTxnImpl;"),
                s.field(LEVEL, "txn", "Lscala/concurrent/stm/ccstm/InTxnImpl;"),
                s.method(HISTORY, "recordRead", RECORD_READ),
                s.method(HISTORY, "put", PUT),
                s.method(HANDLE, "base", "()Ljava/lang/Object;"),
                s.method(OPTIMISTIC, "category", "()Lscala/Symbol;"),
                s.method(OPTIMISTIC, "trigger", "()Lscala/Option;"),
                s.method("scala.concurrent.stm.Txn$RolledBack", "cause", "()" + CAUSE),
                s.method("scala.Symbol", "name", "()Ljava/lang/String;"),
                s.type("scala.concurrent.stm.Txn$UncaughtExceptionCause") == null
                        ? "no class scala.concurrent.stm.Txn$UncaughtExceptionCause" : null,
                s.type("scala.concurrent.stm.Txn$TransientRollbackCause") == null
                        ? "no class scala.concurrent.stm.Txn$TransientRollbackCause" : null);
    }

    @Override
    public AgentBuilder install(AgentBuilder agent, AgentBuilder.RawMatcher supported) {
        return agent
                .type(named(TXN)).and(supported)
                .transform((builder, type, loader, module, domain) -> builder.visit(txnAdvice()))
                .type(named(LEVEL)).and(supported)
                .transform((builder, type, loader, module, domain) -> builder.visit(levelAdvice()))
                .type(named(HISTORY)).and(supported)
                // the accesses: from the first conflict on (AccessHooks); until then unchanged
                .transform((builder, type, loader, module, domain) ->
                        AccessHooks.now(loader, type.getName()) ? builder.visit(historyAdvice()) : builder);
    }

    private static AsmVisitorWrapper txnAdvice() {
        return new AsmVisitorWrapper.Compound(
                on(ScalaStmAdvice.AttemptStart.class, "topLevelAttempt", TOP_LEVEL_ATTEMPT),
                on(ScalaStmAdvice.Commit.class, "finishTopLevelCommit", FINISH_COMMIT),
                on(ScalaStmAdvice.Rollback.class, "finishTopLevelRollback", FINISH_ROLLBACK),
                on(ScalaStmAdvice.Retry.class, "finishTopLevelRetry", FINISH_ROLLBACK),
                on(ScalaStmAdvice.AwaitRetry.class, "awaitRetry", AWAIT_RETRY),
                on(ScalaStmAdvice.WriteWrite.class, "resolveWriteWriteConflict", RESOLVE_WW));
    }

    private static AsmVisitorWrapper levelAdvice() {
        return new AsmVisitorWrapper.Compound(
                on(ScalaStmAdvice.ForceRollback.class, "forceRollback", FORCE_ROLLBACK),
                on(ScalaStmAdvice.RequestRollback.class, "requestRollback", REQUEST_ROLLBACK));
    }

    private static AsmVisitorWrapper historyAdvice() {
        ElementMatcher<MethodDescription> otherWrites = namedOneOf(OTHER_WRITES)
                .and(takesArgument(0, named(HANDLE))).and(takesArgument(1, boolean.class));
        return new AsmVisitorWrapper.Compound(
                on(ScalaStmAdvice.Read.class, "recordRead", RECORD_READ),
                on(ScalaStmAdvice.Write.class, "put", PUT),
                Advice.to(ScalaStmAdvice.Write.class).on(otherWrites));
    }

    private static AsmVisitorWrapper on(Class<?> advice, String method, String descriptor) {
        ElementMatcher<MethodDescription> m = named(method).and(hasDescriptor(descriptor));
        return Advice.to(advice).on(m);
    }

    @Override
    public StackStyle stackStyle() {
        return ScalaStmFrames.STYLE;
    }
}
