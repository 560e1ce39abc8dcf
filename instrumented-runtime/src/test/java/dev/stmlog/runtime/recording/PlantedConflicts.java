package dev.stmlog.runtime.recording;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;
import dev.stmlog.runtime.TransactionQueue;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A queue of transactions that may conflict (a shared counter, an inevitable tick), run by
 * {@link RecordingTest} in a child JVM with {@code STM_LOG} set. Whether they do depends on how
 * the threads run: the lines that conflicts name are tested with forced conflicts, in the
 * samples' {@code ForcedConflictsTest}.
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
        long v = counter.get();
        busyWork();
        counter.set(v + 1);
    }

    static void tick(Ref<Long> clock) {
        Stm.inevitable();
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
