package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TArrayTest {

    @Test
    void basicOperations() {
        TArray<Integer> a = new TArray<>(4, 7, "a");
        assertEquals(4, a.length());
        assertEquals(7, a.get(3));
        a.set(1, 9);
        assertEquals(9, a.get(1));
        assertEquals(10, a.update(1, v -> v + 1));
        assertEquals(10, a.ref(1).getAndSet(11));
        assertEquals("a[2]", a.ref(2).label());
        assertNull(new TArray<Integer>(2).get(0));
        assertNull(new TArray<Integer>(2).ref(0).label());
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> a.get(4));
        assertThrows(IllegalArgumentException.class, () -> new TArray<Integer>(-1));
    }

    /**
     * T1 increments element i, then (mid-transaction) T2 increments element j on another thread
     * and commits; then T1 tries to commit. Returns T1's number of attempts.
     */
    private static int interleave(TArray<Integer> a, int i, int j) {
        AtomicInteger attempts = new AtomicInteger();
        Stm.atomic(() -> {
            a.update(i, v -> v + 1);
            if (attempts.incrementAndGet() == 1) {
                TestSupport.inOtherThread(() -> Stm.atomic(() -> a.update(j, v -> v + 1)));
            }
        });
        return attempts.get();
    }

    @Test
    void transactionsOnDifferentElementsDoNotConflict() {
        TArray<Integer> a = new TArray<>(8, 0);
        StmStats before = Stm.stats();
        assertEquals(1, interleave(a, 2, 5));
        assertEquals(0, Stm.stats().minus(before).conflictAborts());
        assertEquals(1, a.get(2));
        assertEquals(1, a.get(5));
    }

    @Test
    void transactionsOnTheSameElementConflict() {
        TArray<Integer> a = new TArray<>(8, 0);
        StmStats before = Stm.stats();
        assertEquals(2, interleave(a, 3, 3));
        assertEquals(1, Stm.stats().minus(before).conflictAborts());
        assertEquals(2, a.get(3));
    }

    @Test
    void concurrentIncrementsOfElementsAreNotLost() {
        TArray<Integer> a = new TArray<>(16, 0);
        TestSupport.runThreads(4, t -> {
            for (int n = 0; n < 20_000; n++) {
                int i = (n * 7 + t) % 16;
                int j = (n * 3 + t) % 16;
                Stm.atomic(() -> {
                    a.update(i, v -> v + 1);
                    a.update(j, v -> v + 1);
                });
            }
        });
        int sum = 0;
        for (int i = 0; i < 16; i++) {
            sum += a.get(i);
        }
        assertEquals(4 * 20_000 * 2, sum);
    }
}
