package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Basic transaction semantics: commit, rollback on exception, flat nesting, Ref operations. */
@Timeout(60)
class AtomicSemanticsTest {

    @Test
    void atomicCommitsAndReturnsTheResult() {
        Ref<Integer> x = new Ref<>(1);
        int result = Stm.atomic(() -> {
            x.set(x.get() + 41);
            return x.get();
        });
        assertEquals(42, result);
        assertEquals(42, x.get());
    }

    @Test
    void writesAreInvisibleToOthersUntilCommit() {
        Ref<String> x = new Ref<>("old");
        Stm.atomic(() -> {
            x.set("new");
            assertEquals("new", x.get(), "a transaction reads its own writes");
            TestSupport.inOtherThread(() -> assertEquals("old", x.get()));
        });
        assertEquals("new", x.get());
    }

    @Test
    void exceptionRollsBackAndPropagatesTheSameInstance() {
        Ref<Integer> x = new Ref<>(1);
        Ref<Integer> y = new Ref<>(2);
        IllegalArgumentException boom = new IllegalArgumentException("boom");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> Stm.atomic(() -> {
            x.set(10);
            y.set(20);
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals(1, x.get());
        assertEquals(2, y.get());
        assertFalse(Stm.isInTransaction());
    }

    @Test
    void errorsAlsoRollBack() {
        Ref<Integer> x = new Ref<>(1);
        AssertionError err = new AssertionError("err");
        assertSame(err, assertThrows(AssertionError.class, () -> Stm.atomic(() -> {
            x.set(5);
            throw err;
        })));
        assertEquals(1, x.get());
    }

    @Test
    void nestedAtomicJoinsTheOuterTransaction() {
        Ref<Integer> x = new Ref<>(0);
        Ref<Integer> y = new Ref<>(0);
        StmStats before = Stm.stats();
        Stm.atomic(() -> {
            x.set(1);
            int seen = Stm.atomic(() -> {
                assertTrue(Stm.isInTransaction());
                y.set(2);
                return x.get(); // sees the outer's uncommitted write
            });
            assertEquals(1, seen);
            assertEquals(2, y.get()); // the inner write is part of the outer transaction
            // Not committed when the inner block returned:
            TestSupport.inOtherThread(() -> assertEquals(0, y.get()));
        });
        assertEquals(1, x.get());
        assertEquals(2, y.get());
        // One transaction, not two (only this thread's commit happened on this thread).
        assertEquals(1, Stm.stats().minus(before).commits());
    }

    @Test
    void exceptionInNestedAtomicRollsBackTheWholeTransaction() {
        Ref<Integer> x = new Ref<>(0);
        Ref<Integer> y = new Ref<>(0);
        assertThrows(IllegalStateException.class, () -> Stm.atomic(() -> {
            x.set(1);
            Stm.atomic(() -> {
                y.set(1);
                throw new IllegalStateException("inner");
            });
        }));
        assertEquals(0, x.get());
        assertEquals(0, y.get());
    }

    @Test
    void isInTransactionReflectsTheContext() {
        assertFalse(Stm.isInTransaction());
        assertTrue(Stm.atomic(Stm::isInTransaction));
        assertFalse(Stm.isInTransaction());
    }

    @Test
    void refOperationsOutsideTransactions() {
        Ref<Integer> r = new Ref<>(5, "r");
        assertEquals("r", r.label());
        assertNull(new Ref<>(1).label());
        assertEquals(5, r.getAndSet(6));
        assertEquals(6, r.get());
        assertEquals(7, r.update(v -> v + 1));
        assertEquals(7, r.getAndUpdate(v -> v * 2));
        assertEquals(15, r.updateAndGet(v -> v + 1));
        r.set(null);
        assertNull(r.get());
    }

    @Test
    void refOperationsInsideTransactions() {
        Ref<Integer> r = new Ref<>(5);
        Stm.atomic(() -> {
            assertEquals(5, r.getAndSet(6));
            assertEquals(7, r.update(v -> v + 1));
            assertEquals(7, r.getAndUpdate(v -> v * 2));
            assertEquals(15, r.updateAndGet(v -> v + 1));
        });
        assertEquals(15, r.get());
    }

    @Test
    void exceptionFromUpdateFunctionOutsideTransactionLeavesTheRefUnchanged() {
        Ref<Integer> r = new Ref<>(1);
        int zero = 0;
        assertThrows(ArithmeticException.class, () -> r.update(v -> v / zero));
        assertEquals(1, r.get());
    }

    @Test
    void singleOperationTransactionsAreAtomicUnderContention() {
        Ref<Integer> counter = new Ref<>(0);
        TestSupport.runThreads(4, id -> {
            for (int i = 0; i < 50_000; i++) {
                counter.update(v -> v + 1);
            }
        });
        assertEquals(200_000, counter.get());
    }

    @Test
    void largeWriteSetsReadTheirOwnWrites() {
        int n = 1_000; // beyond the linear-scan limit: exercises the hashed write-set index
        @SuppressWarnings("unchecked")
        Ref<Integer>[] refs = (Ref<Integer>[]) new Ref<?>[n];
        for (int i = 0; i < n; i++) {
            refs[i] = new Ref<>(i);
        }
        Stm.atomic(() -> {
            for (int i = 0; i < n; i++) {
                refs[i].set(refs[i].get() * 2);
            }
            for (int i = n - 1; i >= 0; i--) {
                assertEquals(i * 2, refs[i].get());
                refs[i].set(refs[i].get() + 1);
            }
        });
        for (int i = 0; i < n; i++) {
            assertEquals(i * 2 + 1, refs[i].get());
        }
        // The reused write set must be clean for the next (small) transaction.
        Ref<Integer> other = new Ref<>(0);
        Stm.atomic(() -> other.set(1));
        assertEquals(1, other.get());
        assertEquals(1, refs[0].get());
    }

    @Test
    void aConflictReRunsTheTransactionOnFreshData() {
        Ref<Integer> x = new Ref<>(0);
        Ref<Integer> y = new Ref<>(0);
        AtomicInteger attempts = new AtomicInteger();
        StmStats before = Stm.stats();
        Stm.atomic(() -> {
            int seen = x.get();
            if (attempts.incrementAndGet() == 1) {
                TestSupport.inOtherThread(() -> x.set(100)); // invalidates what we read
            }
            y.set(seen + 1);
        });
        assertEquals(2, attempts.get());
        assertEquals(101, y.get());
        assertTrue(Stm.stats().minus(before).writeReadAborts() >= 1);
    }

    @Test
    void swallowingTheControlSignalDoesNotLetAZombieCommit() {
        Ref<Integer> x = new Ref<>(0);
        Ref<Integer> y = new Ref<>(0);
        AtomicInteger attempts = new AtomicInteger();
        Stm.atomic(() -> {
            int seen = x.get();
            if (attempts.incrementAndGet() == 1) {
                TestSupport.inOtherThread(() -> {
                    x.set(7);
                    y.set(7);
                });
                try {
                    y.get(); // newer than our snapshot and x changed: this read aborts us
                } catch (Throwable swallowed) {
                    // badly behaved user code
                }
            }
            y.set(seen + 1);
        });
        assertEquals(2, attempts.get());
        assertEquals(8, y.get());
    }
}
