package dev.stmlog.agent;

import dev.stmlog.format.LogWriter;

import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * The agent's clock thread: every {@value #TICK_NANOS} ns it counts a tick and lends the time
 * since the last one to every thread it finds in a quiet attempt ({@link ThreadRecord#sample}),
 * which is how quiet attempts are timed without a clock read of their own; every
 * {@value #HOUSEKEEPING_TICKS} ticks it writes the counts of threads that have ended. A daemon,
 * started when the log opens.
 */
final class Ticker {
    /**
     * 10 ms, the runtime's tick (its CoarseClock: at 1 ms the wake-ups alone cost a 2-thread
     * benchmark on 2 cores about 10%). At 1 ms this clock cost a one-thread Clojure workload
     * about 3 points of its process CPU time (benchmarks/agent-overhead.sh, the same build with a
     * 10 ms tick: +6.9% against +9.7%, in one run), and an idle program 1,000 wake-ups a second.
     * Sampling stays exact on average: an attempt shorter than a tick is seen by one with the
     * probability of its length over the tick's, and is then lent a whole tick.
     */
    static final long TICK_NANOS = 10_000_000;
    /** The ended threads' counts: every 100 ms. */
    static final int HOUSEKEEPING_TICKS = 10;

    private static volatile long tick;

    private Ticker() {
    }

    /** Ticks so far. */
    static long tick() {
        return tick;
    }

    static void start(LogWriter log, Set<ThreadRecord> threads) {
        Thread t = new Thread(() -> run(log, threads), "stmlog-agent-clock");
        t.setDaemon(true);
        t.start();
    }

    private static void run(LogWriter log, Set<ThreadRecord> threads) {
        // The first stack walk of a JVM links the walker and its lambdas: tens of ms on a busy
        // machine, which fell inside the first conflict's attempt. Done here, off the program's threads.
        Stacks.capture(StackStyle.JAVA, 1);
        ThreadRecord.walkClock(); // and the thread CPU clock's classes (java.management)
        long last = System.nanoTime();
        while (log.isRecording()) {
            LockSupport.parkNanos(TICK_NANOS);
            long now = System.nanoTime();
            long dt = now - last;
            last = now;
            for (ThreadRecord r : threads) r.sample(dt);
            long n = tick + 1;
            tick = n;
            if (n % HOUSEKEEPING_TICKS == 0) {
                // a thread's end happens-before isAlive() returns false: its fields can be read
                synchronized (threads) { // not while the log's close writes them
                    for (ThreadRecord r : threads) {
                        if (r.isAlive()) continue;
                        r.writeBatchAtClose(log);
                        threads.remove(r);
                    }
                }
            }
        }
    }
}
