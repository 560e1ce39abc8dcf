package dev.stmlog.runtime;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Contention management. Two mechanisms keep the STM free of livelock:
 * <ol>
 *   <li>bounded randomized exponential backoff after each conflict, so that transactions that
 *       keep colliding de-synchronize;</li>
 *   <li>priority to old transactions: after {@link #INEVITABLE_AFTER} conflict aborts in a row
 *       a transaction starts its next attempt inevitable (it takes the inevitable token before
 *       running), and an inevitable transaction cannot abort. Since the token is handed out one
 *       at a time, every transaction eventually commits.</li>
 * </ol>
 */
final class Backoff {

    /** Consecutive conflict aborts after which an attempt runs inevitable. */
    static final int INEVITABLE_AFTER = 8;

    /** Spin iterations before a spinning thread starts yielding its core. */
    private static final int SPIN_BEFORE_YIELD = 64;

    private static final int MAX_BACKOFF_EXPONENT = 12;

    private Backoff() {
    }

    /**
     * One step of a short wait for something another thread is about to do (a lock release):
     * busy-spin first, then yield, which matters when threads outnumber cores and the lock
     * holder may be descheduled.
     */
    static void spin(int iteration) {
        if (iteration < SPIN_BEFORE_YIELD) {
            Thread.onSpinWait();
        } else {
            Thread.yield();
        }
    }

    /** Randomized exponential backoff after the {@code conflicts}-th conflict abort in a row. */
    static void pause(Txn tx, int conflicts) {
        if (Recorder.ENABLED) {
            Recorder.waitBegin(tx, Recorder.WaitKind.BACKOFF, null, 0L);
        }
        int bound = 1 << Math.min(conflicts + 3, MAX_BACKOFF_EXPONENT);
        int spins = ThreadLocalRandom.current().nextInt(bound);
        for (int i = 0; i < spins; i++) {
            Thread.onSpinWait();
        }
        if (conflicts >= 3) {
            Thread.yield();
        }
        if (Recorder.ENABLED) {
            Recorder.waitEnd(tx, Recorder.WaitKind.BACKOFF);
        }
    }
}
