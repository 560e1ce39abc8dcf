package dev.stmlog.runtime.recording;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;
import dev.stmlog.runtime.TransactionQueue;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A program with conflicts planted at known lines (marked by comments that the test looks
 * for), run by {@link RecordingTest} in a child JVM with {@code STM_LOG} set.
 */
public final class PlantedConflicts {
    static final AtomicLong SIDE_EFFECTS = new AtomicLong();

    public static void main(String[] args) {
        int tasks = Integer.parseInt(args[0]);
        Ref<Long> counter = new Ref<>(0L, "hot counter");
        Ref<Long> clock = new Ref<>(0L, "clock");
        try (TransactionQueue queue = new TransactionQueue(4)) {
            for (int i = 0; i < tasks; i++) {
                if (i % 10 == 0) queue.add(() -> tick(clock));
                else queue.add(() -> bump(counter));
            }
            queue.run();
        }
        System.out.println("counter=" + counter.get() + " ticks=" + clock.get() + " side-effects=" + SIDE_EFFECTS.get());
    }

    static void bump(Ref<Long> counter) {
        long v = counter.get(); // planted: read
        busyWork();
        counter.set(v + 1); // planted: write
    }

    static void tick(Ref<Long> clock) {
        Stm.inevitable(); // planted: inevitable
        SIDE_EFFECTS.incrementAndGet();
        clock.set(clock.get() + 1);
        busyWork();
    }

    /** Widens each transaction so that they overlap. */
    private static void busyWork() {
        long x = 0;
        for (int i = 0; i < 2_000; i++) x += i * 31L ^ x;
        if (x == 42) System.out.print("");
    }
}
