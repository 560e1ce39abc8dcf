package dev.stmlog.runtime.recording;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;

import java.util.concurrent.ThreadLocalRandom;

/**
 * One thread running transactions of known length with gaps between them, some of them
 * made inevitable halfway (so that their attempts are written, after a mark), run by {@link RecordingTest} in a child JVM
 * with {@code STM_LOG} set. Prints the time spent inside {@code Stm.atomic}, measured exactly,
 * to compare with the busy time the log reports on its coarse clock. Random lengths keep the
 * transactions from falling into step with the clock's ticks.
 */
public final class TimedTransactions {

    public static void main(String[] args) {
        int transactions = Integer.parseInt(args[0]);
        Ref<Long> ref = new Ref<>(0L);
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Stm.atomic(() -> ref.set(0L)); // the first call opens the log: not a transaction's time
        long inside = 0;
        for (int i = 0; i < transactions; i++) {
            boolean inevitable = i % 5 == 0;
            long length = random.nextLong(1_000_000, 3_000_000);
            long start = System.nanoTime();
            Stm.atomic(() -> {
                if (inevitable) {
                    // A mark writes the batch while this attempt runs quietly; becoming
                    // inevitable then writes the attempt, with the time it had run so far.
                    Stm.mark("half", 1);
                    spin(length / 2);
                    Stm.inevitable();
                    spin(length / 2);
                } else {
                    spin(length);
                }
                ref.set(ref.get() + 1);
            });
            inside += System.nanoTime() - start;
            spin(random.nextLong(0, 2_000_000));
        }
        System.out.println(inside);
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }
}
