package dev.stmlog.runtime;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Child program for {@link TickedMarksTest}: marks {@code ticked} once through a {@link Marker},
 * waits until the coarse clock has ticked and the clock thread has closed the thread's counts
 * (bounded), then marks it once more
 * the same way and once with a transaction ({@code Stm.atomic(marker, body)}). The counts the
 * first mark opened are those of the first tick: the two later marks must not be counted there,
 * although nothing but the clock has moved (no timed mark, no commit written, no mark by name).
 */
public final class TickedMarks {

    private TickedMarks() {
    }

    public static void main(String[] args) {
        if (!Stm.isRecording()) {
            System.out.println("not recording");
            System.exit(2);
        }
        Marker ticked = Stm.marker("ticked");
        Runnable nothing = () -> { };
        Stm.atomic(nothing); // its classes loaded before the marks
        ticked.mark(1);
        long first = CoarseClock.now();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Txn tx = CurrentTxn.get();
        // The clock thread moves the clock, then closes the counts: a mark in between is one
        // made before the tick (as one made while a timed mark runs), so wait for both.
        while (CoarseClock.now() == first || tx.markCounts != PendingMarks.NOT_COUNTING) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the clock did not tick and close the counts in 60 s");
            }
            LockSupport.parkNanos(100_000);
        }
        ticked.mark(1);
        Stm.atomic(ticked, nothing);
        System.out.println("marked");
    }
}
