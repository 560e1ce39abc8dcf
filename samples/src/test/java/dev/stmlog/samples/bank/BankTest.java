package dev.stmlog.samples.bank;

import dev.stmlog.runtime.Stm;
import dev.stmlog.samples.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fixed number of transfers per thread, not as many as fit in a time: what the tests check
 * does not depend on the machine's speed.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BankTest {
    private static final long WAIT_SECONDS = 60;

    @Test
    void totalIsConservedUnderHotSkewWhileAnAuditorWatches() throws Exception {
        int accounts = 50;
        int perThread = 20_000;
        BankSample.Bank bank = new BankSample.Bank(Mode.STM, accounts, 2, 0.8);
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong audits = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        Thread auditor = new Thread(() -> {
            while (!done.get()) {
                if (bank.total() != accounts * BankSample.INITIAL) wrong.incrementAndGet();
                audits.incrementAndGet();
            }
        }, "auditor");
        auditor.setDaemon(true);
        auditor.start();
        long commitsBefore = Stm.stats().commits();
        // Each worker, halfway, waits until an audit has started and ended since it got there:
        // so audits run between the first transfers and the last, whatever the speeds.
        long transfers = transfer(bank, 2, perThread, 3, () -> {
            long seen = audits.get();
            waitUntil(() -> audits.get() >= seen + 2, "an audit halfway");
        });
        done.set(true);
        auditor.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        assertFalse(auditor.isAlive(), "the auditor stopped");

        assertEquals(2L * perThread, transfers);
        assertTrue(audits.get() >= 2, "audits " + audits.get());
        assertEquals(0, wrong.get(), "an audit saw money created or destroyed");
        assertEquals(accounts * BankSample.INITIAL, bank.total());
        assertTrue(Stm.stats().commits() - commitsBefore >= 2L * perThread, "every transfer committed a transaction");
    }

    @Test
    void totalIsConservedInEveryMode() throws Exception {
        for (Mode mode : Mode.values()) {
            int threads = mode == Mode.SERIAL ? 1 : 2;
            BankSample.Bank bank = new BankSample.Bank(mode, 100, 0, 0);
            long transfers = transfer(bank, threads, 10_000, 4, () -> { });
            assertEquals(threads * 10_000L, transfers, mode.toString());
            assertEquals(100 * BankSample.INITIAL, bank.total(), mode.toString());
        }
    }

    /**
     * Runs {@code perThread} transfers on each of {@code threads} threads, calling
     * {@code halfway} on each thread halfway through; returns the transfers done.
     */
    private static long transfer(BankSample.Bank bank, int threads, int perThread, long seed, Runnable halfway)
            throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        SplittableRandom root = new SplittableRandom(seed);
        Thread[] ts = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            SplittableRandom random = root.split();
            ts[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < perThread; i++) {
                        if (i == perThread / 2) halfway.run();
                        bank.transfer(random);
                        done.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "transfers-" + t);
            ts[t].start();
        }
        for (Thread t : ts) {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
            assertFalse(t.isAlive(), t.getName() + " finished");
        }
        assertNull(failure.get());
        return done.get();
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AssertionError("timed out waiting for " + what);
            Thread.yield(); // the auditor may need this core
        }
    }
}
