package dev.stmlog.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The recorder's clock: a daemon thread that wakes about every {@value #TICK_NANOS} ns, stores
 * {@code System.nanoTime()} here (so that reading a rough time costs a field load instead of
 * the 20–70 ns of {@code nanoTime()} itself) and samples what the recording threads are doing.
 * Started only when recording.
 *
 * <p>Why sampling at ticks is good enough: the ticks do not depend on what the transactions
 * do, so adding each tick's interval to the busy time of the threads found in a transaction
 * gives, on average, exactly the time spent in transactions. One short transaction gets 0 or
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

    /** Never goes back: see {@link #advance}. */
    private static volatile long now = System.nanoTime();
    private static final VarHandle NOW;

    static {
        try {
            NOW = MethodHandles.lookup().findStaticVarHandle(CoarseClock.class, "now", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private CoarseClock() {
    }

    /** The last tick's {@code System.nanoTime()}: at most about a tick behind it. */
    static long now() {
        return now;
    }

    /**
     * An extra tick, now: sets the time to {@code System.nanoTime()} (or one more than the last
     * tick, if that is not later) and returns it. Whoever reads the time after this call reads
     * this value or a later one, whoever read it before read an earlier one: a timed mark uses it
     * to split the counted marks of every thread into those before it and those after.
     */
    static long advance() {
        return advanceTo(System.nanoTime());
    }

    /** Sets the time to {@code t}, or to one more than the time if {@code t} is not later; returns it. */
    private static long advanceTo(long t) {
        for (;;) {
            long old = now;
            long next = Math.max(t, old + 1);
            if (NOW.compareAndSet(old, next)) {
                return next;
            }
        }
    }

    /** What the ticking thread does at each tick. */
    interface TickListener {
        /** {@code now} is the new tick's time, {@code sinceLast} the ns since the previous tick. */
        void tick(long now, long sinceLast);
    }

    /**
     * Starts the ticking thread, which calls {@code everyTick} at each tick and runs
     * {@code housekeeping} about once a second. If either throws, that is a recorder bug: the
     * clock calls {@code failed} once and stops (its time stays at the last tick). It used to
     * swallow the exception and tick on, so that a sampler failing at every tick skewed every
     * later busy time in the log without a word; the recorder now stops recording instead.
     */
    static Thread start(TickListener everyTick, Runnable housekeeping, Consumer<Throwable> failed) {
        Thread ticker = new Thread(() -> {
            long last = now;
            long lastHousekeeping = last;
            for (;;) {
                LockSupport.parkNanos(TICK_NANOS);
                long t = System.nanoTime();
                advanceTo(t); // not set: a timed mark may have advanced it past t
                try {
                    everyTick.tick(t, t - last);
                    if (t - lastHousekeeping >= HOUSEKEEPING_NANOS) {
                        lastHousekeeping = t;
                        housekeeping.run();
                    }
                } catch (RuntimeException | Error e) {
                    failed.accept(e);
                    return;
                }
                last = t;
            }
        }, "stmlog-clock");
        ticker.setDaemon(true);
        ticker.start();
        return ticker;
    }
}
