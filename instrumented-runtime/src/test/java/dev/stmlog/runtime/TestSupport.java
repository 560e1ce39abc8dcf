package dev.stmlog.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/** Small helpers for running code on other threads and collecting their failures. */
final class TestSupport {

    private TestSupport() {
    }

    /** Runs {@code body} on a fresh thread and waits for it; rethrows what it threw. */
    static void inOtherThread(Runnable body) {
        runThreads(1, i -> body.run());
    }

    /** Runs {@code body(i)} on {@code n} threads, waits for all, rethrows the first failure. */
    static void runThreads(int n, IntConsumer body) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int id = i;
            Thread t = new Thread(() -> {
                try {
                    body.accept(id);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "test-thread-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        Throwable f = failure.get();
        if (f instanceof RuntimeException re) {
            throw re;
        }
        if (f instanceof Error err) {
            throw err;
        }
        if (f != null) {
            throw new AssertionError(f);
        }
    }

    /** How long a test waits for a state that must come: longer means a hang, not a slow machine. */
    static final long WAIT_SECONDS = 30;

    /**
     * Waits until {@code condition} holds, for states no latch can announce (a thread blocked
     * inside the runtime, a clock tick, an object collected): checks it again and again, giving
     * the processor away in between, and fails after {@link #WAIT_SECONDS} naming {@code what}.
     */
    static void awaitCondition(BooleanSupplier condition, Supplier<String> what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting for: " + what.get());
            }
            Thread.yield();
        }
    }

    /** Whether the calling thread's transaction currently holds the inevitable token. */
    static boolean currentTransactionIsInevitable() {
        return CurrentTxn.get().inevitable;
    }
}
