package dev.stmlog.runtime;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A transaction that re-reads a few Refs keeps a small read set, still validated. */
class ReadSetTest {

    private static final int ROUNDS = 100_000;

    @Test
    void reReadingThreeRefsKeepsTheReadSetSmall() {
        List<Ref<Integer>> refs = List.of(new Ref<>(1, "a"), new Ref<>(2, "b"), new Ref<>(3, "c"));
        int[] largest = new int[1];
        long[] sum = new long[1];
        // On a new thread: its read set starts at 32 entries (this thread's may have grown).
        TestSupport.inOtherThread(() -> sum[0] = Stm.atomic(() -> {
            long s = 0;
            for (int i = 0; i < ROUNDS; i++) {
                for (Ref<Integer> r : refs) {
                    s += r.get();
                }
                largest[0] = Math.max(largest[0], CurrentTxn.get().reads.size());
            }
            return s;
        }));
        assertEquals(6L * ROUNDS, sum[0]);
        assertTrue(largest[0] <= 32, "read set grew to " + largest[0]);
    }

    @Test
    void reReadingFiveHundredRefsKeepsTheReadSetBounded() {
        List<Ref<Integer>> refs = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            refs.add(new Ref<>(1));
        }
        int[] largest = new int[1];
        TestSupport.inOtherThread(() -> Stm.atomic(() -> {
            for (int i = 0; i < 1_000; i++) {
                for (Ref<Integer> r : refs) {
                    r.get();
                }
                largest[0] = Math.max(largest[0], CurrentTxn.get().reads.size());
            }
        }));
        // Repeats are found in the last 1,024 entries once the array has 2,048.
        assertTrue(largest[0] <= 2_048, "read set grew to " + largest[0]);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2})
    void aChangeToAnyReReadRefIsStillCaught(int changed) {
        List<Ref<Integer>> refs = List.of(new Ref<>(1, "a"), new Ref<>(2, "b"), new Ref<>(3, "c"));
        Ref<Long> out = new Ref<>(0L, "out");
        AtomicInteger attempts = new AtomicInteger();
        Stm.atomic(() -> {
            int attempt = attempts.incrementAndGet();
            long s = 0;
            for (int i = 0; i < ROUNDS; i++) {
                for (Ref<Integer> r : refs) {
                    s += r.get();
                }
            }
            if (attempt == 1) {
                // Another transaction commits a change to one of the Refs read: this attempt's
                // snapshot is stale, and its commit must fail validation.
                TestSupport.inOtherThread(() -> refs.get(changed).set(100));
            }
            out.set(s);
        });
        assertEquals(2, attempts.get());
        long expected = 0;
        for (Ref<Integer> r : refs) {
            expected += r.get();
        }
        assertEquals(expected * ROUNDS, out.get());
    }
}
