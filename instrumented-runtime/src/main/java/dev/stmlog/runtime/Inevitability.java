package dev.stmlog.runtime;

/**
 * The global inevitable token: at most one transaction at a time is inevitable.
 *
 * <p>The token itself is bit 0 of the {@link GlobalClock} word (see there for why). This class
 * adds the owner (for reports) and blocking: threads that must wait for the token to be
 * released (to take it, or to commit writes) spin briefly and then block on a monitor; the
 * releaser notifies only if someone is blocked. No wake-up is lost: a waiter increments
 * {@code waiters} (volatile) before re-reading the clock (volatile), and the releaser changes
 * the clock (atomic) before reading {@code waiters}, so one of them sees the other.
 */
final class Inevitability {

    private static final int SPINS = 128;

    private static final Object MONITOR = new Object();

    /** Threads blocked on MONITOR; written under MONITOR, read without. */
    private static volatile int waiters;

    /** Holder of the token, null while free (or during hand-over). For reports only. */
    private static volatile Txn owner;

    private Inevitability() {
    }

    /** Takes the token, waiting while another transaction holds it. */
    static void acquire(Txn tx) {
        while (!GlobalClock.tryAcquireInevitable()) {
            awaitRelease(tx);
        }
        owner = tx;
    }

    /** Releases the token of a transaction that commits writes; returns its commit version. */
    static long releaseAndTakeCommitVersion() {
        owner = null;
        long wv = GlobalClock.releaseInevitableAndTick();
        wakeWaiters();
        return wv;
    }

    /** Releases the token of a transaction that commits no writes or rolls back. */
    static void release() {
        owner = null;
        GlobalClock.releaseInevitable();
        wakeWaiters();
    }

    static long ownerThreadId() {
        Txn o = owner;
        return o == null ? 0L : o.threadId;
    }

    /** Waits until the token is not held (it may be taken again right after). Uninterruptible. */
    static void awaitRelease(Txn tx) {
        if (!GlobalClock.inevitableHeld()) {
            return;
        }
        if (Recorder.ENABLED) {
            Recorder.waitBegin(tx, Recorder.WaitKind.INEVITABLE, null, ownerThreadId());
        } else if (Jfr.on()) {
            tx.sites().waitsForInevitable(tx, ownerThreadId()); // its JFR event (see ConflictSites)
        }
        for (int i = 0; i < SPINS && GlobalClock.inevitableHeld(); i++) {
            Backoff.spin(i);
        }
        if (GlobalClock.inevitableHeld()) {
            block();
        }
        if (Recorder.ENABLED) {
            Recorder.waitEnd(tx, Recorder.WaitKind.INEVITABLE);
        }
        if (Jfr.on()) {
            tx.sites().inevitableWaitEnded();
        }
    }

    private static void block() {
        boolean interrupted = false;
        synchronized (MONITOR) {
            waiters++;
            try {
                while (GlobalClock.inevitableHeld()) {
                    try {
                        MONITOR.wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // the holder finishes soon; keep the status for the caller
                    }
                }
            } finally {
                waiters--;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void wakeWaiters() {
        if (waiters != 0) {
            synchronized (MONITOR) {
                MONITOR.notifyAll();
            }
        }
    }
}
