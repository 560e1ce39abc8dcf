package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Ref#commute}: applied at commit to the value committed then, no conflict between
 * commuters, and the documented interplay with reads and sets in the same transaction.
 * Interleavings are forced with latches.
 */
@Timeout(60)
class CommuteTest {

    static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Both transactions commute the Ref before either commits: no conflict, both increments kept. */
    @Test
    void commutersOfOneRefNeverConflict() {
        Ref<Integer> x = new Ref<>(0, "x");
        Ref<Integer> other = new Ref<>(7, "other");
        CountDownLatch bothCommuted = new CountDownLatch(2);
        AtomicInteger attempts = new AtomicInteger();
        StmStats before = Stm.stats();
        TestSupport.runThreads(2, i -> Stm.atomic(() -> {
            attempts.incrementAndGet();
            other.get(); // an unrelated read does not change anything
            x.commute(v -> v + 1);
            bothCommuted.countDown();
            await(bothCommuted);
        }));
        StmStats d = Stm.stats().minus(before);
        assertEquals(2, x.get());
        assertEquals(2, attempts.get(), "no attempt re-ran");
        assertEquals(0, d.conflictAborts(), d.toString());
    }

    /** Reading the Ref before commuting it keeps the read's validation: the later committer conflicts. */
    @Test
    void aTransactionThatReadsTheRefBeforeCommutingConflicts() {
        Ref<Integer> x = new Ref<>(0, "x");
        CountDownLatch bothRead = new CountDownLatch(2);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        StmStats before = Stm.stats();
        TestSupport.runThreads(2, i -> Stm.atomic(() -> {
            seen.add(x.get());
            x.commute(v -> v + 1);
            bothRead.countDown();
            await(bothRead);
        }));
        StmStats d = Stm.stats().minus(before);
        assertEquals(2, x.get());
        assertEquals(1, d.conflictAborts(), d.toString());
        assertEquals(List.of(0, 0, 1), seen.stream().sorted().toList(), "the re-run read the other's commit");
    }

    /** The function sees the value committed at commit time, not the one of the snapshot. */
    @Test
    void commuteAppliesToTheValueCommittedAtCommit() {
        Ref<Integer> x = new Ref<>(0, "x");
        CountDownLatch commuted = new CountDownLatch(1);
        CountDownLatch otherCommitted = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        Thread t = new Thread(() -> Stm.atomic(() -> {
            attempts.incrementAndGet();
            x.commute(v -> v + 1);
            commuted.countDown();
            await(otherCommitted);
        }));
        t.start();
        await(commuted);
        x.set(10);
        otherCommitted.countDown();
        join(t);
        assertEquals(11, x.get());
        assertEquals(1, attempts.get(), "the commuter did not conflict with the set");
    }

    /**
     * A read after a commute in the same transaction returns what the transaction commits, and
     * makes the Ref part of the read set: a concurrent commit of the Ref then aborts the reader.
     */
    @Test
    void getAfterCommuteReturnsTheCommittedValueAndConflicts() {
        Ref<Integer> x = new Ref<>(0, "x");
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch otherCommitted = new CountDownLatch(1);
        List<Integer> seen = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> Stm.atomic(() -> {
            x.commute(v -> v + 1);
            seen.add(x.get());
            read.countDown();
            await(otherCommitted);
        }));
        t.start();
        await(read);
        x.set(10);
        otherCommitted.countDown();
        join(t);
        assertEquals(List.of(1, 11), seen, "the first attempt saw 1, conflicted, and its re-run 11");
        assertEquals(11, x.get());
    }

    @Test
    void severalCommutesApplyInOrder() {
        Ref<String> x = new Ref<>("x");
        Stm.atomic(() -> {
            x.commute(v -> v + "a");
            x.commute(v -> v + "b");
            x.commute(v -> v + "c");
        });
        assertEquals("xabc", x.get());
        Stm.atomic(() -> {
            x.commute(v -> v + "d");
            assertEquals("xabcd", x.get());
            x.commute(v -> v + "e"); // after the read: applied to the buffered value at once
            assertEquals("xabcde", x.get());
        });
        assertEquals("xabcde", x.get());
    }

    /** A set is a blind write: after it a commute applies to the set value, whatever commits meanwhile. */
    @Test
    void commuteAfterSetAppliesToTheBufferedValue() {
        Ref<Integer> x = new Ref<>(0, "x");
        CountDownLatch commuted = new CountDownLatch(1);
        CountDownLatch otherCommitted = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        Thread t = new Thread(() -> Stm.atomic(() -> {
            attempts.incrementAndGet();
            x.set(5);
            x.commute(v -> v + 1);
            commuted.countDown();
            await(otherCommitted);
        }));
        t.start();
        await(commuted);
        x.set(100);
        otherCommitted.countDown();
        join(t);
        assertEquals(6, x.get());
        assertEquals(1, attempts.get());
    }

    @Test
    void setAfterCommuteReplacesIt() {
        Ref<Integer> x = new Ref<>(0, "x");
        Stm.atomic(() -> {
            x.commute(v -> v + 1);
            x.set(7);
            assertEquals(7, x.get());
        });
        assertEquals(7, x.get());
    }

    @Test
    void commuteOutsideATransactionIsItsOwnTransaction() {
        Ref<Integer> x = new Ref<>(1, "x");
        StmStats before = Stm.stats();
        x.commute(v -> v * 3);
        assertEquals(3, x.get());
        assertEquals(1, Stm.stats().minus(before).commits());
        assertFalse(Stm.isInTransaction());
    }

    @Test
    void commuteWithTheTransactionHandedOver() {
        Ref<Integer> x = new Ref<>(1, "x");
        int seen = Stm.call(tx -> {
            x.commute(tx, v -> v + 1);
            return x.get(tx);
        });
        assertEquals(2, seen);
        assertEquals(2, x.get());
    }

    @Test
    void commuteInAnInevitableTransaction() {
        Ref<Integer> x = new Ref<>(0, "x");
        CountDownLatch inevitable = new CountDownLatch(1);
        CountDownLatch otherDone = new CountDownLatch(1);
        Thread t = new Thread(() -> Stm.atomic(() -> {
            Stm.inevitable();
            x.commute(v -> v + 1);
            inevitable.countDown();
            await(otherDone);
        }));
        t.start();
        await(inevitable);
        // A commuter on another thread: it waits for the inevitable one before publishing.
        Thread u = new Thread(() -> x.commute(v -> v + 10));
        u.start();
        TestSupport.awaitCondition(() -> u.getState() != Thread.State.RUNNABLE || !u.isAlive(),
                () -> "the other commuter waiting for the inevitable transaction");
        otherDone.countDown();
        join(t);
        join(u);
        assertEquals(11, x.get());
    }

    /** An exception from a function at commit rolls back, propagates, and leaves the Refs unlocked. */
    @Test
    void aFunctionThatThrowsAtCommitRollsBack() {
        Ref<Integer> x = new Ref<>(0, "x");
        Ref<Integer> y = new Ref<>(0, "y");
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        StmStats before = Stm.stats();
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> Stm.atomic(() -> {
            y.set(1);
            x.commute(v -> {
                throw boom;
            });
        })));
        assertEquals(1, Stm.stats().minus(before).rollbacks());
        assertEquals(0, y.get());
        assertEquals(0, x.get());
        Stm.atomic(() -> {
            x.set(1);
            y.set(2);
        });
        assertEquals(1, x.get());
        assertEquals(2, y.get());
    }

    @Test
    void aFunctionMustNotAccessRefs() {
        Ref<Integer> x = new Ref<>(0, "x");
        Ref<Integer> y = new Ref<>(5, "y");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Stm.atomic(() -> x.commute(v -> y.get())));
        assertEquals("a commute function accessed a Ref: it must be a pure function of the Ref's value", e.getMessage());
        assertEquals(0, x.get());
        assertFalse(Stm.isInTransaction());
        x.commute(v -> v + 1);
        assertEquals(1, x.get());
    }

    @Test
    void aLostAttemptDropsItsCommutes() {
        Ref<Integer> x = new Ref<>(0, "x");
        Ref<Integer> y = new Ref<>(0, "y");
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch otherCommitted = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        Thread t = new Thread(() -> Stm.atomic(() -> {
            attempts.incrementAndGet();
            x.commute(v -> v + 1);
            y.set(y.get() + 1);
            read.countDown();
            await(otherCommitted);
        }));
        t.start();
        await(read);
        y.set(10);
        otherCommitted.countDown();
        join(t);
        assertEquals(2, attempts.get());
        assertEquals(1, x.get(), "the commute of the aborted attempt was not applied");
        assertEquals(11, y.get());
    }

    static void join(Thread t) {
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
