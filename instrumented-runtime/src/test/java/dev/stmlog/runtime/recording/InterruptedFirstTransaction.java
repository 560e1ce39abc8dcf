package dev.stmlog.runtime.recording;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;

/**
 * Interrupts its main thread, then runs its transactions on it: the first {@code Stm.atomic}
 * opens the log from an interrupted thread. Run by {@link RecordingRobustnessTest} in a child
 * JVM with {@code STM_LOG} set. Prints the counter and whether the interrupt is still set.
 */
public final class InterruptedFirstTransaction {

    public static void main(String[] args) {
        int transactions = Integer.parseInt(args[0]);
        Ref<Long> counter = new Ref<>(0L, "counter");
        Thread.currentThread().interrupt();
        for (int i = 0; i < transactions; i++) Stm.atomic(() -> counter.set(counter.get() + 1));
        System.out.println("counter=" + counter.get() + " interrupted=" + Thread.interrupted());
    }
}
