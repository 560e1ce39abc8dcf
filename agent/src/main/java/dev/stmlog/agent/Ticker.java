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
    /** 1 ms: a thread in transactions half the time is sampled some 500 times a second. */
    static final long TICK_NANOS = 1_000_000;
    static final int HOUSEKEEPING_TICKS = 100;

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
