package dev.stmlog.benchmarks.runtime;

import dev.stmlog.format.LogReader;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxCommits;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;

import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How close the default, sampled timing comes to the time really spent in transactions, for
 * {@code benchmarks/sampled-busy-accuracy.sh}. Two modes:
 * <ul>
 *   <li>{@code run N} (with {@code STM_LOG} set): one thread runs N transactions of random
 *       known length (1-3 ms) with random gaps, every fifth made inevitable halfway after a
 *       timed mark (so that its attempt is written), and prints the time spent inside
 *       {@code Stm.atomic}, measured exactly with {@code nanoTime()};</li>
 *   <li>{@code busy FILE}: prints the busy time the log gives: the batches' sampled busy time
 *       plus the written attempts' exact times.</li>
 * </ul>
 * Random lengths keep the transactions from falling into step with the clock's ticks. The
 * ratio of the two is a measurement on a real clock, so it is a benchmark, not a unit test
 * (the arithmetic is tested exactly, with synthetic ticks, in instrumented-runtime's
 * RecordingTest).
 */
public final class TimedTransactions {

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("run")) {
            run(Integer.parseInt(args[1]));
        } else if (args.length == 2 && args[0].equals("busy")) {
            busy(Path.of(args[1]));
        } else {
            System.err.println("usage: TimedTransactions run N | busy FILE");
            System.exit(2);
        }
    }

    private static void run(int transactions) {
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
                    // A timed mark writes the batch while this attempt runs quietly; becoming
                    // inevitable then writes the attempt, with the time it had run so far.
                    Stm.markTimed("half", 1);
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

    private static void busy(Path log) throws Exception {
        long[] sums = new long[2]; // batched, written
        long[] start = new long[1];
        try (LogReader reader = LogReader.open(log)) {
            reader.read(e -> {
                if (e instanceof TxStart s) start[0] = s.time();
                if (e instanceof TxCommit c) sums[1] += c.time() - start[0];
                if (e instanceof TxCommits c) sums[0] += c.busyNanos();
            });
        }
        System.out.println((sums[0] + sums[1]) + " " + sums[0] + " " + sums[1]);
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }
}
