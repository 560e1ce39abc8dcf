package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TCounter}: exact sums, increments that never conflict, reads that do. */
@Timeout(60)
class TCounterTest {

    @Test
    void incrementsFromManyThreadsSumExactly() {
        TCounter c = new TCounter("c");
        Ref<Long> audit = new Ref<>(0L, "audit");
        int threads = 4;
        int perThread = 20_000;
        TestSupport.runThreads(threads, i -> {
            for (int k = 0; k < perThread; k++) {
                switch (k % 4) {
                    case 0 -> c.increment();
                    case 1 -> Stm.atomic(() -> c.add(3));
                    case 2 -> Stm.run(tx -> {
                        c.add(tx, 2);
                        c.add(tx, -1); // folded with the previous one
                    });
                    default -> Stm.atomic(() -> {
                        c.increment();
                        audit.set(audit.get() + 1); // a counter update beside an ordinary one
                    });
                }
            }
        });
        long expected = (long) threads * perThread / 4 * (1 + 3 + 1 + 1);
        assertEquals(expected, c.get());
        assertEquals(expected, (long) Stm.call(tx -> c.get(tx)));
        assertEquals((long) threads * perThread / 4, audit.get());
    }

    /** Both transactions increment before either commits: no conflict. */
    @Test
    void concurrentIncrementsNeverConflict() {
        for (TCounter c : List.of(new TCounter("striped"), new TCounter("one", 1))) {
            CountDownLatch both = new CountDownLatch(2);
            AtomicInteger attempts = new AtomicInteger();
            StmStats before = Stm.stats();
            TestSupport.runThreads(2, i -> Stm.atomic(() -> {
                attempts.incrementAndGet();
                c.increment();
                both.countDown();
                CommuteTest.await(both);
            }));
            StmStats d = Stm.stats().minus(before);
            assertEquals(2, c.get(), c.toString());
            assertEquals(2, attempts.get(), c.toString());
            assertEquals(0, d.conflictAborts(), c + ": " + d);
        }
    }

    /** A transaction that read the count and writes conflicts with an increment committed meanwhile. */
    @Test
    void getConflictsWithAConcurrentIncrement() {
        TCounter c = new TCounter("c");
        Ref<Long> copy = new Ref<>(-1L, "copy");
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch incremented = new CountDownLatch(1);
        List<Long> seen = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> Stm.atomic(() -> {
            long n = c.get();
            seen.add(n);
            copy.set(n);
            read.countDown();
            CommuteTest.await(incremented);
        }));
        t.start();
        CommuteTest.await(read);
        c.increment();
        incremented.countDown();
        CommuteTest.join(t);
        assertEquals(List.of(0L, 1L), seen);
        assertEquals(1L, copy.get());
    }

    @Test
    void getAfterAddInTheSameTransactionIncludesIt() {
        TCounter c = new TCounter("c");
        c.add(10);
        long seen = Stm.atomic(() -> {
            c.add(5);
            long n = c.get();
            c.add(1);
            return n + 100 * c.get();
        });
        assertEquals(15 + 100 * 16, seen);
        assertEquals(16, c.get());
    }

    @Test
    void anAbortedAttemptAddsNothing() {
        TCounter c = new TCounter("c");
        Ref<Integer> y = new Ref<>(0, "y");
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch otherCommitted = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        Thread t = new Thread(() -> Stm.atomic(() -> {
            attempts.incrementAndGet();
            c.add(5);
            y.set(y.get() + 1);
            read.countDown();
            CommuteTest.await(otherCommitted);
        }));
        t.start();
        CommuteTest.await(read);
        y.set(10);
        otherCommitted.countDown();
        CommuteTest.join(t);
        assertEquals(2, attempts.get());
        assertEquals(5, c.get());
    }
}
