package dev.stmlog.runtime;

import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * Shared Lincheck settings for the serializability tests, sized for a small (2-core) machine:
 * a few seconds per test class.
 *
 * <p>Stress mode only. Lincheck's model checking (ModelCheckingOptions) runs against this runtime
 * without technical errors, and it finds bugs whose bad interleaving falls between two
 * transactions (a transfer split into two {@code Stm.atomic} blocks). But it did not explore
 * interleavings inside a transaction: with the stripe validation of TMap's whole-map reads
 * reverted, 5,000 model-checking invocations of the two-transaction scenario that exposes it
 * ({@code putThenSize} of keys 1 and 17 in parallel) passed, while stress mode fails on it within
 * a second or two. The runtime's shared state is reached through VarHandles (Ref's value and lock
 * word, the global clock), with spin-waits on locked Refs, which the managed scheduler apparently
 * does not treat as switch points. So it would cost seconds per class for little coverage.
 */
final class LincheckSupport {

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
}
