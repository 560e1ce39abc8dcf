package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * TMap gives back the slots of absent keys (see its class comment), and a retired slot is never
 * written: a transaction that read the slot before it was retired re-runs on a fresh one, one
 * that meets a retired slot replaces it, a retry waiting on it wakes up, and an inevitable
 * transaction keeps its slot. The interleavings are forced with latches: the transaction pauses
 * inside its first attempt while the test sweeps. Two sweeps retire a slot that stayed absent
 * in between (the first only marks it); a third drops it from the hash map.
 */
@Timeout(60)
class TMapSlotReclamationTest {

    /** Two sweeps retire a slot that stayed absent in between; one only marks it. */
    private static void sweepTwice(TMap<?, ?> m) {
        m.sweep();
        m.sweep();
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            assertTrue(latch.await(TestSupport.WAIT_SECONDS, TimeUnit.SECONDS), "timed out waiting until " + what);
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void churnOfInsertsRemovalsAndAbsentReadsKeepsTheSlotCountBounded() {
        TMap<Integer, Integer> m = new TMap<>("m");
        int live = 3_000;
        for (int k = 0; k < live; k++) {
            m.put(-1 - k, k);
        }
        for (int k = 0; k < 200_000; k++) {
            m.put(k, k);
            m.remove(k);
            int absent = 1_000_000 + k;
            Stm.atomic(() -> m.get(absent)); // inside a transaction a read creates the slot
        }
        int bound = 3 * Math.max(TMap.MIN_SLOTS_TO_SWEEP, 2 * live);
        assertTrue(m.slotCount() <= bound, "slots after the churn: " + m.slotCount() + ", bound " + bound);
        assertEquals(live, m.size());
        for (int k = 0; k < live; k++) {
            assertEquals(k, m.get(-1 - k), "live key " + (-1 - k));
        }
    }

    @Test
    void oneSweepOnlyMarksAndASecondRetiresWhatStayedAbsent() {
        TMap<Integer, Integer> m = new TMap<>("m");
        m.put(1, 1);
        m.remove(1);
        m.put(2, 2);
        m.sweep();
        assertEquals(2, m.slotCount(), "the first sweep retires nothing");
        m.put(1, 10); // written after the mark: stays
        m.sweep();
        assertEquals(2, m.slotCount());
        m.remove(1);
        sweepTwice(m);
        assertEquals(1, m.retiredSlotCount(), "key 1's slot is retired, key 2's kept");
        m.sweep();
        assertEquals(1, m.slotCount(), "the retired slot is dropped");
        assertEquals(Map.of(2, 2), m.snapshot());
    }

    @Test
    void aRetiredSlotReadsAsAbsentAndIsReplacedBeforeAWrite() {
        TMap<Integer, Integer> m = new TMap<>("m");
        m.put(1, 1);
        m.remove(1);
        m.put(2, 2);
        sweepTwice(m);
        assertEquals(1, m.retiredSlotCount(), "key 1's slot is retired and still in the hash map");
        assertNull(m.get(1), "outside a transaction");
        assertEquals(false, m.containsKey(1));
        assertEquals(Map.of(2, 2), m.snapshot(), "whole-map reads skip it");
        assertEquals(1, m.size());
        assertNull(Stm.atomic(() -> m.get(1)), "inside a transaction");
        assertEquals(0, m.retiredSlotCount(), "the transaction replaced it");
        sweepTwice(m); // retire key 1's fresh slot again
        assertEquals(1, m.retiredSlotCount());
        m.put(1, 10);
        assertEquals(Map.of(2, 2, 1, 10), m.snapshot(), "the put went to a fresh slot");
        assertEquals(10, Stm.atomic(() -> m.remove(1)));
        assertEquals(Map.of(2, 2), m.snapshot());
    }

    /**
     * Runs a transaction on one thread whose first attempt reads key 7 of {@code m} as absent
     * ({@code beforeRead} first), then pauses while another thread sweeps twice and asserts
     * {@code retiredAfterSweeps} retired slots, then puts 7 → 70. Returns the number of attempts.
     */
    private static int putAfterSweepsInFirstAttempt(TMap<Integer, Integer> m, Runnable beforeRead, int retiredAfterSweeps) {
        CountDownLatch readAbsent = new CountDownLatch(1);
        CountDownLatch swept = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        TestSupport.runThreads(2, id -> {
            if (id == 0) {
                Stm.atomic(() -> {
                    boolean first = attempts.incrementAndGet() == 1;
                    beforeRead.run();
                    assertNull(m.get(7));
                    if (first) {
                        readAbsent.countDown();
                        await(swept, "the sweeps are done");
                    }
                    m.put(7, 70);
                });
            } else {
                await(readAbsent, "the transaction has read key 7 as absent");
                // The transaction created the slot and has not committed: the slot is absent.
                try {
                    sweepTwice(m);
                    assertEquals(retiredAfterSweeps, m.retiredSlotCount(), "retired slots after two sweeps");
                } finally {
                    swept.countDown();
                }
            }
        });
        return attempts.get();
    }

    @Test
    void aTransactionThatReadTheSlotBeforeItWasRetiredRerunsOnAFreshSlot() {
        TMap<Integer, Integer> m = new TMap<>("m");
        int attempts = putAfterSweepsInFirstAttempt(m, () -> { }, 1);
        assertEquals(2, attempts, "the first attempt read the retired slot and re-ran");
        assertEquals(Map.of(7, 70), m.snapshot(), "the put is in the map, not in the retired slot");
    }

    @Test
    void aRetryWaitingOnARetiredSlotWakesAndWaitsOnTheFreshOne() {
        TMap<Integer, Integer> m = new TMap<>("m");
        AtomicInteger attempts = new AtomicInteger();
        int waitingBefore = RetryWaiters.waiting();
        Thread waiter = new Thread(() -> Stm.atomic(() -> {
            attempts.incrementAndGet();
            if (!m.containsKey(7)) {
                Stm.retry();
            }
        }), "waiter");
        waiter.start();
        TestSupport.awaitCondition(() -> RetryWaiters.waiting() == waitingBefore + 1 && attempts.get() == 1,
                () -> "the waiter blocks in retry (attempts " + attempts.get() + ")");
        sweepTwice(m); // retires key 7's slot, and wakes the waiter (which replaces the slot)
        TestSupport.awaitCondition(() -> attempts.get() == 2 && RetryWaiters.waiting() == waitingBefore + 1,
                () -> "the waiter re-runs on a fresh slot and blocks again (attempts " + attempts.get() + ")");
        m.put(7, 70);
        try {
            waiter.join(TimeUnit.SECONDS.toMillis(TestSupport.WAIT_SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertTrue(!waiter.isAlive(), "the waiter saw key 7 inserted into the fresh slot");
        assertEquals(3, attempts.get());
    }

    @Test
    void noSlotIsRetiredWhileAnInevitableTransactionRuns() {
        TMap<Integer, Integer> m = new TMap<>("m");
        // an inevitable commit does not validate: the slot it writes must be live
        int attempts = putAfterSweepsInFirstAttempt(m, Stm::inevitable, 0);
        assertEquals(1, attempts);
        assertEquals(Map.of(7, 70), m.snapshot());
    }
}
