package dev.stmlog.runtime;

import java.util.Arrays;

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
 *
 * <p>{@link TransactionQueue} tasks that retry do not block their worker: they are set aside
 * (see {@link TransactionQueue}) and counted in {@code waiters} too, so the commit fast path
 * stays one read; a commit that finds them tells their queues, whose workers re-check the set
 * aside read sets. Same argument: the queue registers a task here, then reads the clock and the
 * task's Refs.
 */
final class RetryWaiters {

    private static final Object MONITOR = new Object();

    /**
     * Threads in {@link #await} plus queue tasks set aside in a retry; written under MONITOR,
     * read without.
     */
    private static volatile int waiters;

    /** Threads in {@link #await}; guarded by MONITOR. */
    private static int blocked;

    /**
     * The queues with set aside tasks (each counts its own in {@code setAsideInRetryWaiters}),
     * for committers; replaced, never modified, under MONITOR. This used to be the key set of an
     * IdentityHashMap of counts, copied by {@code keySet().toArray}: iterating an IdentityHashMap
     * reads its static NULL_KEY sentinel, which made Lincheck 3.7's model checking (whose
     * snapshot of static memory is itself an IdentityHashMap) fail after every invocation that
     * set a task aside, with a NullPointerException in SnapshotTracker.restoreValues.
     */
    private static TransactionQueue[] queues = new TransactionQueue[0];

    private RetryWaiters() {
    }

    /** Called after every commit that wrote something. */
    static void wakeAll() {
        if (waiters != 0) {
            TransactionQueue[] qs;
            synchronized (MONITOR) {
                if (blocked != 0) {
                    MONITOR.notifyAll();
                }
                qs = queues;
            }
            for (TransactionQueue q : qs) {
                q.setAsideReadsMayHaveChanged(); // an unpark at most: no user code under the monitor
            }
        }
    }

    /** Number of threads blocked and queue tasks set aside in a retry (for tests and diagnostics). */
    static int waiting() {
        return waiters;
    }

    /** A task of {@code q} is set aside until what it read changes; before checking its Refs. */
    static void setAside(TransactionQueue q) {
        synchronized (MONITOR) {
            if (q.setAsideInRetryWaiters++ == 0) {
                TransactionQueue[] qs = Arrays.copyOf(queues, queues.length + 1);
                qs[queues.length] = q;
                queues = qs;
            }
            waiters++; // after `queues`: a committer that sees this count sees the queue
        }
    }

    /** A task set aside by {@link #setAside} goes back to its queue. */
    static void resumed(TransactionQueue q) {
        synchronized (MONITOR) {
            waiters--;
            if (--q.setAsideInRetryWaiters == 0) {
                TransactionQueue[] qs = new TransactionQueue[queues.length - 1];
                int n = 0;
                for (TransactionQueue other : queues) {
                    if (other != q) {
                        qs[n++] = other;
                    }
                }
                queues = qs;
            }
        }
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
            blocked++;
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
                blocked--;
                waiters--;
            }
            if (Recorder.ENABLED) {
                Recorder.waitEnd(tx, Recorder.WaitKind.RETRY);
            }
        }
    }
}
