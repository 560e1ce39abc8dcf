package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Opacity: even attempts that will abort must never see an inconsistent state. Readers turn
 * an inconsistent read into a division by zero; because the STM propagates exceptions from
 * user code as they are, any zombie observation would surface as an ArithmeticException.
 */
@Timeout(120)
class OpacityTest {

    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final int WRITES_PER_WRITER = 100_000;

    /** Throws ArithmeticException unless {@code delta == 0}. */
    private static int mustBeZero(int delta) {
        return 1 / (1 - Integer.signum(Math.abs(delta)));
    }

    private static void dawdle(ThreadLocalRandom rnd) {
        for (int i = rnd.nextInt(64); i > 0; i--) {
            Thread.onSpinWait(); // widen the window between two reads
        }
    }

    @Test
    void readersNeverSeeAHalfCommittedPair() {
        Ref<Integer> x = new Ref<>(0, "x");
        Ref<Integer> y = new Ref<>(0, "y"); // invariant: x + y == 0
        AtomicInteger writersLeft = new AtomicInteger(WRITERS);
        AtomicInteger readTransactions = new AtomicInteger();

        TestSupport.runThreads(WRITERS + READERS, id -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            if (id < WRITERS) {
                for (int n = 0; n < WRITES_PER_WRITER; n++) {
                    Stm.atomic(() -> {
                        int a = x.get();
                        dawdle(rnd);
                        int b = y.get();
                        mustBeZero(a + b); // writers may be zombies too
                        int next = a + (rnd.nextBoolean() ? 1 : -3);
                        x.set(next);
                        y.set(-next);
                    });
                }
                writersLeft.decrementAndGet();
            } else {
                while (writersLeft.get() > 0) {
                    Stm.atomic(() -> {
                        boolean xFirst = rnd.nextBoolean();
                        int a = xFirst ? x.get() : y.get();
                        dawdle(rnd);
                        int b = xFirst ? y.get() : x.get();
                        return mustBeZero(a + b);
                    });
                    readTransactions.incrementAndGet();
                }
            }
        });
        assertEquals(0, x.get() + y.get());
        assertTrue(readTransactions.get() > 0);
    }

    @Test
    void longReadersSeeAConstantSumWhileWritersMoveValues() {
        int n = 32;
        TArray<Integer> cells = new TArray<>(n, 10, "cells"); // sum is always 10 * n
        AtomicInteger writersLeft = new AtomicInteger(WRITERS);
        AtomicInteger sums = new AtomicInteger();

        TestSupport.runThreads(WRITERS + READERS, id -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            if (id < WRITERS) {
                for (int k = 0; k < WRITES_PER_WRITER / 2; k++) {
                    int i = rnd.nextInt(n);
                    int j = rnd.nextInt(n);
                    int amount = rnd.nextInt(5);
                    Stm.atomic(() -> {
                        cells.set(i, cells.get(i) - amount);
                        cells.set(j, cells.get(j) + amount);
                    });
                }
                writersLeft.decrementAndGet();
            } else {
                while (writersLeft.get() > 0) {
                    Stm.atomic(() -> {
                        int sum = 0;
                        for (int i = 0; i < n; i++) {
                            sum += cells.get(i);
                            if ((i & 7) == 0) {
                                dawdle(rnd);
                            }
                        }
                        return mustBeZero(sum - 10 * n);
                    });
                    sums.incrementAndGet();
                }
            }
        });
        int total = Stm.atomic(() -> {
            int s = 0;
            for (int i = 0; i < n; i++) {
                s += cells.get(i);
            }
            return s;
        });
        assertEquals(10 * n, total);
        assertTrue(sums.get() > 0);
    }
}
