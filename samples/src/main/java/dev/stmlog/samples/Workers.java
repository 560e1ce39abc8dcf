package dev.stmlog.samples;

import java.util.SplittableRandom;

/**
 * Runs one operation in a loop on N threads for a fixed time: the driver of the samples whose
 * story is "N threads each running transactions" (astar, wiki, bank).
 *
 * <p>Each thread has its own random generator (a shared one would itself be a point of
 * contention) and its own operation counter (summed after the threads have finished). An
 * operation that completes inside the measured window is counted and marked
 * ({@link Marks#op()}, outside any transaction); warm-up operations are neither. The measured
 * window is marked too ({@link Marks#windowStart()}, {@link Marks#windowEnd()}): it runs from
 * before the first counted operation to after the last, so that a log holds every counted
 * operation between the window's marks.
 */
public final class Workers {

    /** One operation; called repeatedly by thread {@code thread} (0-based). */
    @FunctionalInterface
    public interface Op {
        void run(int thread, SplittableRandom random);
    }

    /** What a timed run measured. */
    public record Run(long ops, double seconds) {
    }

    private Workers() {
    }

    public static Run run(int threads, double warmupSeconds, double seconds, long seed, Op op) throws InterruptedException {
        final class Flags {
            volatile boolean counting;
            volatile boolean stop;
        }
        Flags flags = new Flags();
        long[] counts = new long[threads];
        Throwable[] failure = new Throwable[1];
        Thread[] ts = new Thread[threads];
        SplittableRandom root = new SplittableRandom(seed);
        for (int t = 0; t < threads; t++) {
            int id = t;
            SplittableRandom random = root.split();
            ts[t] = new Thread(() -> {
                long n = 0;
                try {
                    while (!flags.stop) {
                        op.run(id, random);
                        if (flags.counting) {
                            n++;
                            Marks.op();
                        }
                    }
                } catch (Throwable e) {
                    synchronized (failure) {
                        if (failure[0] == null) failure[0] = e;
                    }
                    flags.stop = true;
                } finally {
                    counts[id] = n; // published by join()
                }
            }, "sample-worker-" + t);
        }
        for (Thread t : ts) t.start();
        sleep(warmupSeconds);
        long start = Marks.windowStart();
        flags.counting = true;
        sleep(seconds);
        flags.stop = true;
        for (Thread t : ts) t.join();
        long end = Marks.windowEnd(); // after every counted op was marked
        synchronized (failure) {
            if (failure[0] instanceof RuntimeException re) throw re;
            if (failure[0] instanceof Error er) throw er;
            if (failure[0] != null) throw new IllegalStateException(failure[0]);
        }
        long total = 0;
        for (long c : counts) total += c;
        return new Run(total, (end - start) / 1e9);
    }

    private static void sleep(double seconds) throws InterruptedException {
        long until = System.nanoTime() + (long) (seconds * 1e9);
        long left;
        while ((left = until - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000), 0);
        }
    }
}
