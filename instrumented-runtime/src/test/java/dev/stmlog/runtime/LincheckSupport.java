package dev.stmlog.runtime;

import java.util.Arrays;
import java.util.List;
import kotlin.Unit;
import org.jetbrains.kotlinx.lincheck.Actor;
import org.jetbrains.kotlinx.lincheck.execution.ExecutionScenario;
import org.jetbrains.lincheck.datastructures.DSLScenarioBuilder;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * Shared Lincheck settings for the serializability tests, sized for a small (2-core) machine.
 *
 * <p>Stress mode runs random scenarios on real threads. Model checking runs each scenario under
 * Lincheck's scheduler, which can switch threads at every shared-memory access (its traces list
 * the VarHandle loads, CASes and stores of Ref and the clock) and tries the interleavings with 0,
 * 1, 2... switches in turn: a bug that needs one badly placed switch shows within a few dozen
 * invocations of a scenario that can expose it, and the failure comes with its interleaving.
 *
 * <p>With Lincheck's default settings model checking missed the bugs inside a transaction
 * because of its loop handling (not VarHandles, spin-waits or CurrentTxn's per-thread cache):
 * after {@code loopIterationsBeforeThreadSwitch} iterations of any loop (default 10) it forces a
 * switch to another thread. A whole-map read loops over TMap's 16 presence stripes and the hash
 * map's 16 bins, so every transaction was interrupted there whatever interleaving was chosen,
 * and the one that exposes a missing stripe validation (a transaction runs whole between
 * another's whole-map read and its commit) needed more chosen switches, to hand control back at
 * the right points. With that validation reverted, 2,000 invocations of
 * {@code insertsIntoOneStripe} passed with the default (24 s), and 100 with 16; with 18 or more
 * it fails within 100 (with 64, at the 19th). Hence {@value #LOOP_ITERATIONS_BEFORE_SWITCH}: more
 * than any loop that does not wait for another thread (stripes, bins, the read set of a whole-map
 * read); loops that wait still get their switch.
 *
 * <p>Lincheck reports a livelock when a loop reaches {@code loopBound} iterations (default 50),
 * counting across switches: a wait for a Ref that the other thread has locked runs
 * {@value #LOOP_ITERATIONS_BEFORE_SWITCH} iterations before the forced switch lets the owner
 * unlock it, and {@link Backoff#pause} spins up to 4,095 times. With a bound of 65, executions
 * that waited for a lock were reported as hung; hence {@value #LOOP_BOUND}.
 *
 * <p>The model-checking tests catch, with a trace, each known mutation: a commit that skips
 * {@code validateReads} (all three classes; Ref's increment || increment at the 9th invocation),
 * reads that accept a version newer than the snapshot (Ref's transfer || sum within 10, TArray's
 * 4th random scenario; not TMap's test), and whole-map reads that do not validate the stripes
 * their transaction wrote (TMap's custom scenario, at the 19th). Stress mode catches the same
 * ones. Measured while this machine was shared (load 3 to 6, so the times vary a lot): model
 * checking took 2.5 to 10 s for Ref and TArray and 7 to 23 s for TMap, whose test runs first and
 * pays about 6 s of Lincheck's instrumentation for it (its 3 random scenarios take about 4 s);
 * Lincheck's idle threads spin, so it keeps both cores busy. Stress mode took 5 to 50 s.
 */
final class LincheckSupport {

    /** Loop iterations before model checking forces a thread switch (Lincheck's default: 10). */
    static final int LOOP_ITERATIONS_BEFORE_SWITCH = 64;

    /** Loop iterations after which model checking reports a livelock (Lincheck's default: 50). */
    static final int LOOP_BOUND = 5_000;

    private LincheckSupport() {
    }

    /** Stress mode: real threads, many random interleavings of short scenarios. */
    static StressOptions stress(Class<?> sequentialSpecification) {
        return new StressOptions()
                .iterations(20)
                .invocationsPerIteration(1_000)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(sequentialSpecification);
    }

    /**
     * Stress mode for operations that hand work to threads of their own (TransactionQueue
     * workers, woken from park for every batch): the same scenario shape with fewer scenarios
     * and invocations, as an invocation costs about ten times more.
     */
    static StressOptions stressWithWorkerThreads(Class<?> sequentialSpecification) {
        return stress(sequentialSpecification)
                .iterations(12)
                .invocationsPerIteration(400);
    }

    /**
     * Model checking: {@code randomScenarios} random scenarios (plus the test's custom ones), each
     * explored for 50 interleavings, which take about 10 ms each for Ref operations and 25 ms for
     * TMap's. The known bugs show within the first 20 interleavings of the custom scenarios that
     * expose them (see the class comment).
     */
    static ModelCheckingOptions modelChecking(Class<?> sequentialSpecification,
                                              int randomScenarios) {
        return new ModelCheckingOptions()
                .iterations(randomScenarios)
                .invocationsPerIteration(50)
                .threads(2)
                .actorsPerThread(2)
                .actorsBefore(1)
                .actorsAfter(1)
                .loopIterationsBeforeThreadSwitch(LOOP_ITERATIONS_BEFORE_SWITCH)
                .loopBound(LOOP_BOUND)
                .sequentialSpecification(sequentialSpecification);
    }

    /** A custom scenario: {@code first} and {@code second} in parallel, then {@code after}. */
    static ExecutionScenario inParallel(Actor first, Actor second, Actor after /* or null */) {
        DSLScenarioBuilder b = new DSLScenarioBuilder();
        b.parallel(p -> {
            p.thread(t -> {
                t.add(first);
                return Unit.INSTANCE;
            });
            p.thread(t -> {
                t.add(second);
                return Unit.INSTANCE;
            });
            return Unit.INSTANCE;
        });
        if (after != null) {
            b.post(t -> {
                t.add(after);
                return Unit.INSTANCE;
            });
        }
        return b.buildScenario();
    }

    /** The operation {@code name} of {@code testClass}, whose parameters are all ints. */
    static Actor actor(Class<?> testClass, String name, Integer... args) {
        Class<?>[] types = new Class<?>[args.length];
        Arrays.fill(types, int.class);
        try {
            return new Actor(testClass.getMethod(name, types), List.of((Object[]) args));
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }
}
