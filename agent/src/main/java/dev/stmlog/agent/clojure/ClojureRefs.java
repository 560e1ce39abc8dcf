package dev.stmlog.agent.clojure;

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

import java.util.ArrayList;
import java.util.List;

import static net.bytebuddy.matcher.ElementMatchers.hasDescriptor;
import static net.bytebuddy.matcher.ElementMatchers.named;

/**
 * Clojure's refs: {@code dosync}, {@code alter}, {@code ref-set}, {@code commute}, {@code ensure}
 * (Clojure 1.10 to 1.12, whose {@code LockingTransaction} has the same methods). Only
 * {@code clojure.lang.LockingTransaction} is transformed; every hook is one of its methods, and
 * the agent's README says which record each one gives.
 */
public final class ClojureRefs implements StmInstrumentation {
    static final String TX = "clojure.lang.LockingTransaction";
    private static final String INFO = "Lclojure/lang/LockingTransaction$Info;";
    private static final String REF = "Lclojure/lang/Ref;";
    private static final String OBJECT = "Ljava/lang/Object;";

    // The methods advised, with the descriptors the advice relies on.
    static final String GET_READ_POINT = "()V";
    static final String STOP = "(I)V";
    static final String RUN = "(Ljava/util/concurrent/Callable;)" + OBJECT;
    static final String DO_GET = "(" + REF + ")" + OBJECT;
    static final String DO_SET = "(" + REF + OBJECT + ")" + OBJECT;
    static final String DO_ENSURE = "(" + REF + ")V";
    static final String DO_COMMUTE = "(" + REF + "Lclojure/lang/IFn;Lclojure/lang/ISeq;)" + OBJECT;
    static final String LOCK = "(" + REF + ")" + OBJECT;
    static final String TRY_WRITE_LOCK = "(" + REF + ")V";
    static final String BARGE = "(" + INFO + ")Z";
    static final String BLOCK_AND_BAIL = "(" + INFO + ")" + OBJECT;

    @Override
    public String name() {
        return "Clojure refs";
    }

    @Override
    public List<String> classNames() {
        return List.of(TX);
    }

    @Override
    public String incompatibility(TypePool types) {
        Signatures s = new Signatures(types);
        return Signatures.first(
                s.method(TX, "getReadPoint", GET_READ_POINT),
                s.method(TX, "stop", STOP),
                s.method(TX, "run", RUN),
                s.method(TX, "runInTransaction", RUN),
                s.method(TX, "doGet", DO_GET),
                s.method(TX, "doSet", DO_SET),
                s.method(TX, "doEnsure", DO_ENSURE),
                s.method(TX, "doCommute", DO_COMMUTE),
                s.method(TX, "lock", LOCK),
                s.method(TX, "tryWriteLock", TRY_WRITE_LOCK),
                s.method(TX, "barge", BARGE),
                s.method(TX, "blockAndBail", BLOCK_AND_BAIL),
                s.field(TX, "info", INFO),
                s.field(TX, "startTime", "J"),
                s.field(TX, "sets", "Ljava/util/HashSet;"),
                s.field(TX, "commutes", "Ljava/util/TreeMap;"),
                s.field("clojure.lang.Ref", "tinfo", INFO),
                s.field(TX, "LOCK_WAIT_MSECS", "I"),
                s.method("clojure.lang.LockingTransaction$Info", "running", "()Z"),
                s.type("clojure.lang.LockingTransaction$RetryEx") == null ? "no class clojure.lang.LockingTransaction$RetryEx" : null);
    }

    @Override
    public AgentBuilder install(AgentBuilder agent, AgentBuilder.RawMatcher supported) {
        return agent.type(named(TX)).and(supported)
                .transform((builder, type, loader, module, domain) -> {
                    ClojureFrames.clojureLoadedBy(loader);
                    return builder.visit(advice(AccessHooks.now(loader, type.getName())));
                });
    }

    /**
     * The attempts' and the causes' advice; the accesses' too ({@code doGet}'s and
     * {@code doEnsure}'s normal exits, {@code doSet}, {@code doCommute}) once {@code accesses}:
     * from the first conflict on ({@link AccessHooks}). A failing {@code doGet} or
     * {@code doEnsure} is a cause, advised from the start.
     */
    private static AsmVisitorWrapper advice(boolean accesses) {
        List<AsmVisitorWrapper> hooks = new ArrayList<>(List.of(
                on(ClojureAdvice.AttemptStart.class, "getReadPoint", GET_READ_POINT),
                on(ClojureAdvice.Stop.class, "stop", STOP),
                on(ClojureAdvice.RunInTransaction.class, "runInTransaction", RUN),
                on(ClojureAdvice.Lock.class, "lock", LOCK),
                on(ClojureAdvice.TryWriteLock.class, "tryWriteLock", TRY_WRITE_LOCK),
                on(ClojureAdvice.Barge.class, "barge", BARGE),
                on(ClojureAdvice.BlockAndBail.class, "blockAndBail", BLOCK_AND_BAIL)));
        if (accesses) {
            hooks.add(on(ClojureAdvice.Get.class, "doGet", DO_GET));
            hooks.add(on(ClojureAdvice.Ensure.class, "doEnsure", DO_ENSURE));
            hooks.add(on(ClojureAdvice.Set.class, "doSet", DO_SET));
            hooks.add(on(ClojureAdvice.Commute.class, "doCommute", DO_COMMUTE));
        } else {
            hooks.add(on(ClojureAdvice.GetFailure.class, "doGet", DO_GET));
            hooks.add(on(ClojureAdvice.EnsureFailure.class, "doEnsure", DO_ENSURE));
        }
        return new AsmVisitorWrapper.Compound(hooks);
    }

    private static AsmVisitorWrapper on(Class<?> advice, String method, String descriptor) {
        ElementMatcher<MethodDescription> m = named(method).and(hasDescriptor(descriptor));
        return Advice.to(advice).on(m);
    }

    @Override
    public StackStyle stackStyle() {
        return ClojureFrames.STYLE;
    }
}
