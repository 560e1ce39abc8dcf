package dev.stmlog.runtime;

/**
 * Blocking for {@link Stm#retry()}.
 *
 * <p>A retrying transaction keeps its read set and sleeps until one of those Refs has a newer
 * version (or is being written). Writers do not track who waits on which Ref: every commit that
 * wrote something checks one volatile counter and, only if someone waits, wakes all waiters,
 * who re-check their own read sets. That keeps the commit fast path at a single read of a
 * rarely written field.
 *
 * <p>No lost wake-up: the waiter increments {@code waiters} and then reads the clock; a
 * committer advances the clock (before writing back) and later reads {@code waiters}. Both are
 * volatile, so either the committer sees the waiter and notifies after its write-back, or the
 * waiter sees the new clock value; the waiter re-checks "clock unchanged" under the monitor
 * before sleeping, and the committer notifies under the same monitor.
 */
final class RetryWaiters {

    private static final Object MONITOR = new Object();

    /** Threads in {@link #await}; written under MONITOR, read without. */
    private static volatile int waiters;

    private RetryWaiters() {
    }

    /** Called after every commit that wrote something. */
    static void wakeAll() {
        if (waiters != 0) {
            synchronized (MONITOR) {
                MONITOR.notifyAll();
            }
        }
    }

    /** Number of threads currently blocked in a retry (for tests and diagnostics). */
    static int waiting() {
        return waiters;
    }

    /**
     * Blocks until the read set of {@code tx} is no longer valid at its read version.
     *
     * @throws TransactionInterruptedException if the thread is interrupted while waiting
     */
    static void await(Txn tx) {
        if (Recorder.ENABLED) {
            Recorder.waitBegin(tx, Recorder.WaitKind.RETRY, null, 0L);
        }
        synchronized (MONITOR) {
            waiters++;
        }
        try {
            for (;;) {
                long seen = GlobalClock.raw();
                if (tx.readSetChanged()) {
                    return;
                }
                synchronized (MONITOR) {
                    if (GlobalClock.raw() == seen) {
                        MONITOR.wait();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TransactionInterruptedException();
        } finally {
            synchronized (MONITOR) {
                waiters--;
            }
            if (Recorder.ENABLED) {
                Recorder.waitEnd(tx, Recorder.WaitKind.RETRY);
            }
        }
    }
}
