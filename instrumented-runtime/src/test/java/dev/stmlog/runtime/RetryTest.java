package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class RetryTest {

    /** Waits until someone is blocked in retry (no timing assertion: a hang fails). */
    private static void awaitRetryWaiter() {
        TestSupport.awaitCondition(() -> RetryWaiters.waiting() != 0, () -> "a thread blocked in retry");
    }

    /** Waits until {@code t} is in state {@code state}. */
    private static void awaitState(Thread t, Thread.State state) {
        TestSupport.awaitCondition(() -> t.getState() == state, () -> t.getName() + " " + state + ", is " + t.getState());
    }

    @Test
    void blockedConsumerWakesWhenTheProducerChangesTheRef() throws InterruptedException {
        Ref<Integer> box = new Ref<>(null, "box");
        Ref<Integer> scratch = new Ref<>(0);
        AtomicReference<Integer> received = new AtomicReference<>();
        StmStats before = Stm.stats();
        Thread consumer = new Thread(() -> received.set(Stm.atomic(() -> {
            scratch.set(99); // discarded while blocked
            Integer v = box.get();
            if (v == null) {
                Stm.retry();
            }
            box.set(null);
            return v;
        })));
        consumer.start();
        awaitRetryWaiter();
        assertEquals(0, scratch.get(), "the writes of a retrying attempt are not visible");
        box.set(42);
        consumer.join();
        assertEquals(42, received.get());
        assertEquals(99, scratch.get());
        assertTrue(Stm.stats().minus(before).retries() >= 1);
    }

    @Test
    void unrelatedCommitsDoNotReleaseTheWaiter() throws InterruptedException {
        Ref<Boolean> flag = new Ref<>(false);
        Ref<Integer> unrelated = new Ref<>(0);
        AtomicReference<Integer> seenUnrelated = new AtomicReference<>();
        StmStats before = Stm.stats();
        Thread waiter = new Thread(() -> seenUnrelated.set(Stm.atomic(() -> {
            if (!flag.get()) {
                Stm.retry();
            }
            return unrelated.get();
        })));
        waiter.start();
        awaitRetryWaiter();
        for (int i = 1; i <= 100; i++) {
            unrelated.set(i); // wakes the waiter, which must go back to sleep
        }
        // Each commit notified the waiter, which left its wait; WAITING again means it has
        // re-checked its read set after the last commit and found nothing it read changed.
        awaitState(waiter, Thread.State.WAITING);
        assertEquals(1, RetryWaiters.waiting()); // registered again (a volatile read: sees its counts too)
        assertTrue(waiter.isAlive());
        assertEquals(null, seenUnrelated.get());
        // Woken by unrelated commits, the waiter re-checked its read set without re-running
        // (a re-run would have retried again).
        assertEquals(1, Stm.stats().minus(before).retries());
        flag.set(true);
        waiter.join();
        assertEquals(100, seenUnrelated.get());
        assertEquals(1, Stm.stats().minus(before).retries());
    }

    @Test
    void boundedBufferHandsOverEveryItemInOrder() {
        Ref<Integer> slot = new Ref<>(null, "slot");
        int items = 2_000;
        long[] sum = new long[1];
        TestSupport.runThreads(2, id -> {
            if (id == 0) {
                for (int i = 1; i <= items; i++) {
                    int item = i;
                    Stm.atomic(() -> {
                        if (slot.get() != null) {
                            Stm.retry(); // full
                        }
                        slot.set(item);
                    });
                }
            } else {
                for (int expected = 1; expected <= items; expected++) {
                    int got = Stm.atomic(() -> {
                        Integer v = slot.get();
                        if (v == null) {
                            Stm.retry(); // empty
                        }
                        slot.set(null);
                        return v;
                    });
                    assertEquals(expected, got);
                    sum[0] += got;
                }
            }
        });
        assertEquals((long) items * (items + 1) / 2, sum[0]);
    }

    @Test
    void retryOutsideATransactionIsAnError() {
        assertThrows(IllegalStateException.class, Stm::retry);
    }

    @Test
    void retryWithoutAnyReadIsAnError() {
        Ref<Integer> x = new Ref<>(0);
        assertThrows(IllegalStateException.class, () -> Stm.atomic(() -> {
            x.set(1);
            Stm.retry();
        }));
        assertEquals(0, x.get());
    }

    @Test
    void interruptingABlockedTransactionRollsItBack() throws InterruptedException {
        Ref<Integer> x = new Ref<>(0);
        Ref<Integer> y = new Ref<>(0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Boolean> interruptStatusKept = new AtomicReference<>();
        AtomicReference<Boolean> stillInTransaction = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                Stm.atomic(() -> {
                    y.set(1);
                    if (x.get() == 0) {
                        Stm.retry();
                    }
                });
            } catch (Throwable e) {
                failure.set(e);
                interruptStatusKept.set(Thread.currentThread().isInterrupted());
                stillInTransaction.set(Stm.isInTransaction());
            }
        });
        t.start();
        awaitRetryWaiter();
        t.interrupt();
        t.join();
        assertInstanceOf(TransactionInterruptedException.class, failure.get());
        assertEquals(true, interruptStatusKept.get());
        assertEquals(false, stillInTransaction.get());
        assertEquals(0, y.get());
    }
}
