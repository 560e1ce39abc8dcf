package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The API that hands the transaction to the body ({@link Stm#run}, {@link Stm#call}, and the
 * accesses given it: {@code ref.get(tx)}, ...): the same semantics as {@link Stm#atomic}, mixed
 * freely with the accesses that find their transaction, and a {@code Txn} kept past its body is
 * refused.
 */
@Timeout(60)
class TxApiTest {

    @Test
    void callCommitsAndReturnsTheResult() {
        Ref<Integer> x = new Ref<>(1);
        int result = Stm.call(tx -> {
            x.set(tx, x.get(tx) + 41);
            return x.get(tx);
        });
        assertEquals(42, result);
        assertEquals(42, x.get());
        assertFalse(Stm.isInTransaction());
    }

    @Test
    void runReadsItsOwnWritesAndHidesThemUntilCommit() {
        Ref<String> x = new Ref<>("old");
        Stm.run(tx -> {
            x.set(tx, "new");
            assertEquals("new", x.get(tx));
            assertEquals("new", x.get(), "the access that finds the transaction sees the same");
            TestSupport.inOtherThread(() -> assertEquals("old", x.get()));
        });
        assertEquals("new", x.get());
    }

    @Test
    void exceptionRollsBackAndPropagates() {
        Ref<Integer> x = new Ref<>(1);
        IllegalStateException boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Stm.run(tx -> {
            x.set(tx, 10);
            throw boom;
        })));
        assertEquals(1, x.get());
        assertFalse(Stm.isInTransaction());
    }

    @Test
    void nestingJoinsTheOuterTransactionWithTheSameTxn() {
        Ref<Integer> x = new Ref<>(0);
        AtomicReference<Txn> inner = new AtomicReference<>();
        Stm.run(outer -> {
            x.set(outer, 1);
            Stm.atomic(() -> x.set(x.get() + 1)); // the implicit API joins it too
            int seen = Stm.call(tx -> {
                inner.set(tx);
                assertSame(outer, tx);
                return x.get(tx);
            });
            assertEquals(2, seen);
        });
        assertEquals(2, x.get());
        assertTrue(inner.get() != null);
    }

    @Test
    void aTxnKeptPastItsTransactionIsRefused() {
        Ref<Integer> x = new Ref<>(7);
        Txn kept = Stm.call(tx -> tx);
        assertThrows(IllegalStateException.class, () -> x.get(kept));
        assertThrows(IllegalStateException.class, () -> x.set(kept, 1));
        assertEquals(7, x.get());
        // ... and also while a later transaction of the same thread has written (slow path).
        Stm.run(tx -> {
            assertSame(kept, tx, "one Txn per thread, reused");
            x.set(tx, 8);
            assertEquals(8, x.get(kept));
        });
    }

    @Test
    void conflictsReRunTheBody() {
        Ref<Integer> x = new Ref<>(0);
        AtomicInteger attempts = new AtomicInteger();
        Stm.run(tx -> {
            int v = x.get(tx);
            if (attempts.incrementAndGet() == 1) {
                TestSupport.inOtherThread(() -> Stm.run(other -> x.set(other, x.get(other) + 10)));
            }
            x.set(tx, v + 1);
        });
        assertEquals(2, attempts.get());
        assertEquals(11, x.get());
    }

    @Test
    void tArrayAndTMapTakeTheTxn() {
        TArray<Integer> a = new TArray<>(4, 0);
        TMap<String, Integer> m = new TMap<>();
        Stm.run(tx -> {
            a.set(tx, 2, 5);
            m.put(tx, "k", a.get(tx, 2) + 1);
            assertEquals(6, m.get(tx, "k"));
            assertTrue(m.containsKey(tx, "k"));
            assertNull(m.get(tx, "absent"));
            assertEquals(-1, m.getOrDefault(tx, "absent", -1));
        });
        assertEquals(5, a.get(2));
        assertEquals(6, m.get("k"));
        int removed = Stm.call(tx -> m.remove(tx, "k"));
        assertEquals(6, removed);
        assertFalse(m.containsKey("k"));
        assertEquals(0, m.size());
    }

    @Test
    void retryWaitsForAChangeOfWhatWasRead() throws Exception {
        Ref<Boolean> ready = new Ref<>(false);
        AtomicInteger attempts = new AtomicInteger();
        Thread waiter = new Thread(() -> Stm.run(tx -> {
            attempts.incrementAndGet();
            if (!ready.get(tx)) {
                Stm.retry();
            }
        }));
        waiter.start();
        TestSupport.awaitCondition(() -> attempts.get() >= 1, () -> "the waiter ran");
        Stm.run(tx -> ready.set(tx, true));
        waiter.join(30_000);
        assertFalse(waiter.isAlive());
        assertTrue(attempts.get() >= 2);
    }
}
