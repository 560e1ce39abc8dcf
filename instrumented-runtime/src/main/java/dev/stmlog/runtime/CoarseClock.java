package dev.stmlog.runtime;

import java.util.concurrent.locks.LockSupport;

/**
 * The recorder's cheap clock: a daemon thread stores {@code System.nanoTime()} here about every
 * {@value #TICK_NANOS} ns, so reading the time costs a field load instead of the 20–70 ns of
 * {@code nanoTime()} itself, which is as much as a short transaction. Started only when
 * recording.
 *
 * <p>Why a tick is good enough: the ticks do not depend on what the transactions do, so the
 * difference of two readings is, on average, exactly the time between them (each tick that
 * falls between adds the time since the previous tick). One short transaction measures 0 or
 * one tick; the sum over many is right. The recorder sums, and times exactly (with
 * {@code nanoTime()}) the attempts near a conflict, where single durations matter.
 */
final class CoarseClock {
    /**
     * 10 ms. Each tick wakes this thread, and when the workers use every core it preempts one:
     * at 1 ms the read-mostly map benchmark at 2 threads on 2 cores lost about 10% to the
     * wake-ups alone, at 20 ms none measurable. A tick also bounds the commits a crash loses.
     */
    static final long TICK_NANOS = 10_000_000;
    private static final long HOUSEKEEPING_NANOS = 1_000_000_000;

    private static volatile long now = System.nanoTime();

    private CoarseClock() {
    }

    /** The last tick's {@code System.nanoTime()}: at most about a tick behind it. */
    static long now() {
        return now;
    }

    /** Starts the ticking thread, which also runs {@code housekeeping} about once a second. */
    static void start(Runnable housekeeping) {
        Thread ticker = new Thread(() -> {
            long lastHousekeeping = System.nanoTime();
            for (;;) {
                LockSupport.parkNanos(TICK_NANOS);
                long t = System.nanoTime();
                now = t;
                if (t - lastHousekeeping >= HOUSEKEEPING_NANOS) {
                    lastHousekeeping = t;
                    try {
                        housekeeping.run();
                    } catch (RuntimeException e) {
                        // never stop the clock: every later duration would read 0
                    }
                }
            }
        }, "stmlog-clock");
        ticker.setDaemon(true);
        ticker.start();
    }
}
