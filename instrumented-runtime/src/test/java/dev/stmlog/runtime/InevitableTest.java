package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class InevitableTest {

    @Test
    void irrevocableSideEffectHappensExactlyOncePerTaskUnderContention() {
        int threads = 4;
        int perThread = 2_000;
        Ref<Integer> hot = new Ref<>(0, "hot");
        Ref<Integer> after = new Ref<>(0, "after");
        AtomicIntegerArray effects = new AtomicIntegerArray(threads * perThread);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        AtomicInteger plainCommits = new AtomicInteger();
        StmStats before = Stm.stats();

        TestSupport.runThreads(threads, t -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int i = 0; i < perThread; i++) {
                int task = t * perThread + i;
                Stm.atomic(() -> {
                    hot.update(v -> v + 1); // contended read-modify-write before inevitability
                    Stm.inevitable();
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    effects.incrementAndGet(task); // the irrevocable side effect
                    inside.decrementAndGet();
                    after.update(v -> v + 1);
                });
                // Interleave ordinary transactions on the same Refs: they must wait, not break it.
                if (rnd.nextInt(4) == 0) {
                    Stm.atomic(() -> hot.update(v -> v + 1000));
                    plainCommits.incrementAndGet();
                }
            }
        });

        for (int i = 0; i < effects.length(); i++) {
            assertEquals(1, effects.get(i), "side effect of task " + i);
        }
        assertEquals(1, maxInside.get(), "never two inevitable transactions at once");
        assertEquals(threads * perThread, after.get());
        assertEquals(threads * perThread + 1000 * plainCommits.get(), hot.get());
        assertTrue(Stm.stats().minus(before).inevitableTransactions() >= threads * perThread);
    }

    @Test
    void irrevocableSideEffectHappensExactlyOnceInQueueTasks() {
        int tasks = 2_000;
        Ref<Integer> counter = new Ref<>(0);
        AtomicIntegerArray effects = new AtomicIntegerArray(tasks);
        try (TransactionQueue q = new TransactionQueue(4)) {
            for (int i = 0; i < tasks; i++) {
                int id = i;
                q.add(() -> {
                    int c = counter.get();
                    Stm.inevitable();
                    effects.incrementAndGet(id);
                    counter.set(c + 1);
                });
            }
            q.run();
        }
        assertEquals(tasks, counter.get());
        for (int i = 0; i < tasks; i++) {
            assertEquals(1, effects.get(i));
        }
    }

    @Test
    void writersWaitUntilTheInevitableTransactionCommits() throws InterruptedException {
        Ref<Integer> x = new Ref<>(0, "x");
        Ref<Integer> y = new Ref<>(0, "y");
        CountDownLatch inevitableRunning = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try {
                inevitableRunning.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            writing.set(true);
            x.set(1); // must wait: the inevitable transaction has read x
        });
        writer.start();
        AtomicInteger attempts = new AtomicInteger();
        Stm.atomic(() -> {
            attempts.incrementAndGet();
            int first = x.get();
            Stm.inevitable();
            inevitableRunning.countDown();
            // Wait until the writer is blocked on the inevitable token (no timing assumption).
            while (!(writing.get() && writer.getState() == Thread.State.WAITING) && writer.isAlive()) {
                Thread.onSpinWait();
            }
            assertTrue(writer.isAlive(), "the writer must not have committed");
            assertEquals(first, x.get());
            y.set(first + 10);
        });
        writer.join();
        assertEquals(1, attempts.get());
        assertEquals(10, y.get());
        assertEquals(1, x.get());
    }

    @Test
    void aTransactionThatKeepsLosingBecomesInevitable() {
        Ref<Integer> x = new Ref<>(0);
        Ref<Integer> y = new Ref<>(0);
        AtomicInteger attempts = new AtomicInteger();
        AtomicInteger firstInevitableAttempt = new AtomicInteger();
        Stm.atomic(() -> {
            int n = attempts.incrementAndGet();
            int seen = x.get();
            if (TestSupport.currentTransactionIsInevitable()) {
                firstInevitableAttempt.compareAndSet(0, n);
            } else {
                // Keep invalidating ourselves; only the inevitable attempt gets through.
                TestSupport.inOtherThread(() -> x.update(v -> v + 1));
            }
            y.set(seen);
        });
        assertEquals(Backoff.INEVITABLE_AFTER + 1, firstInevitableAttempt.get());
        assertEquals(Backoff.INEVITABLE_AFTER + 1, attempts.get());
        assertEquals(Backoff.INEVITABLE_AFTER, x.get());
        assertEquals(x.get(), y.get());
    }

    @Test
    void inevitableOutsideATransactionIsANoOp() {
        Stm.inevitable();
        assertFalse(Stm.isInTransaction());
    }

    @Test
    void retryInAnInevitableTransactionIsRejectedAndReleasesTheToken() {
        Ref<Integer> x = new Ref<>(0);
        assertThrows(IllegalStateException.class, () -> Stm.atomic(() -> {
            x.get();
            Stm.inevitable();
            Stm.retry();
        }));
        // The token was released: another thread can become inevitable and commit writes.
        TestSupport.inOtherThread(() -> Stm.atomic(() -> {
            Stm.inevitable();
            x.set(5);
        }));
        assertEquals(5, x.get());
    }

    @Test
    void anExceptionInAnInevitableTransactionRollsBackAndReleasesTheToken() {
        Ref<Integer> x = new Ref<>(0);
        assertThrows(ArithmeticException.class, () -> Stm.atomic(() -> {
            Stm.inevitable();
            x.set(1);
            x.set(1 / (x.get() - 1));
        }));
        assertEquals(0, x.get());
        TestSupport.inOtherThread(() -> x.set(2)); // would block forever if the token leaked
        assertEquals(2, x.get());
    }
}
