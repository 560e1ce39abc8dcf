package stmlog.planted;

import scala.concurrent.stm.Ref;
import scala.concurrent.stm.japi.STM;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Planted conflicts for the agent's ScalaSTM test, through ScalaSTM's Java API. Each is forced
 * with latches (a transaction waits, inside its atomic block, for the other thread to have done
 * its part), never hoped for. The test finds the lines by their {@code site:} comments. Not in a
 * {@code dev.stmlog.agent} package: the agent drops its own frames from every stack.
 */
public final class ScalaStmPlanted {
    static final Ref.View<Integer> counter = STM.newRef(0);
    static final Ref.View<Integer> mine = STM.newRef(0);
    static final Ref.View<String> config = STM.newRef("initial");
    static final Ref.View<Integer> limit = STM.newRef(10);
    static final Ref.View<Integer> total = STM.newRef(0);
    static final Ref.View<Integer> gate = STM.newRef(0);
    static final Ref.View<Integer> quiet = STM.newRef(0);
    /** The atomic blocks that returned (committed), counted after each returns. */
    static final AtomicInteger blocks = new AtomicInteger();

    private ScalaStmPlanted() {
    }

    /** Awaits {@code latch} for at most 10 s, failing rather than hanging the test. */
    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("timed out waiting for the other thread");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void atomic(Runnable block) {
        STM.atomic(block);
        blocks.incrementAndGet();
    }

    /** Runs both, each in its thread, and waits for both (10 s at most each). */
    static void both(Runnable a, Runnable b) throws InterruptedException {
        Throwable[] failed = new Throwable[1];
        Thread ta = new Thread(a, "planted-a");
        Thread tb = new Thread(b, "planted-b");
        Thread.UncaughtExceptionHandler h = (t, e) -> failed[0] = e;
        ta.setUncaughtExceptionHandler(h);
        tb.setUncaughtExceptionHandler(h);
        ta.start();
        tb.start();
        ta.join(20_000);
        tb.join(20_000);
        if (ta.isAlive() || tb.isAlive()) throw new IllegalStateException("a planted thread did not finish");
        if (failed[0] != null) throw new IllegalStateException(failed[0]);
    }

    /**
     * A writes counter and holds it (its attempt is open) until B, which has written another
     * ref already, has tried to write it too: one of them loses the write-write conflict, B (by
     * ScalaSTM's priorities, random per attempt) rolled back at its write, or A stolen from.
     */
    static void heldCounter() throws InterruptedException {
        CountDownLatch aHolds = new CountDownLatch(1);
        CountDownLatch bTried = new CountDownLatch(1);
        both(() -> atomic(() -> {
                    STM.increment(counter, 1); // site:counter-a
                    aHolds.countDown();
                    await(bTried);
                }),
                () -> {
                    await(aHolds);
                    atomic(() -> {
                        STM.increment(mine, 1);
                        try {
                            STM.increment(counter, 1); // site:counter-b
                        } finally {
                            bTried.countDown();
                        }
                    });
                });
    }

    /** L reads config, waits for S to commit a change of it, and reads it again: a stale read, met at the read. */
    static void staleRead() throws InterruptedException {
        CountDownLatch lRead = new CountDownLatch(1);
        CountDownLatch sDone = new CountDownLatch(1);
        both(() -> atomic(() -> {
                    String before = config.get(); // site:config-first-read
                    lRead.countDown();
                    await(sDone);
                    String after = config.get(); // site:config-read-fault
                    if (before == null || after == null) throw new IllegalStateException("no config");
                }),
                () -> {
                    await(lRead);
                    atomic(() -> config.set("changed")); // site:config-write
                    sDone.countDown();
                });
    }

    /** C reads limit, waits for W to commit a change of it, writes total: its commit finds the read stale. */
    static void staleAtCommit() throws InterruptedException {
        CountDownLatch cRead = new CountDownLatch(1);
        CountDownLatch wDone = new CountDownLatch(1);
        both(() -> atomic(() -> {
                    int v = limit.get(); // site:limit-read
                    cRead.countDown();
                    await(wDone);
                    total.set(v); // site:total-write
                }),
                () -> {
                    await(cRead);
                    atomic(() -> limit.set(5)); // site:limit-write
                    wDone.countDown();
                });
    }

    /** R finds the gate shut and calls retry; O opens it: R's attempt ends in a retry and waits. */
    static void blockingRetry() throws InterruptedException {
        CountDownLatch rRetries = new CountDownLatch(1);
        both(() -> atomic(() -> {
                    if (gate.get() == 0) { // site:gate-read
                        rRetries.countDown();
                        STM.retry(); // site:gate-retry
                    }
                }),
                () -> {
                    await(rRetries);
                    atomic(() -> gate.set(1)); // site:gate-open
                });
    }

    /** A block that throws: rolled back by the exception, which leaves the atomic block. */
    static void thrown() {
        try {
            atomic(() -> {
                STM.increment(quiet, 1);
                throw new IllegalStateException("planted"); // site:thrown
            });
            throw new AssertionError("the planted exception did not leave the atomic block");
        } catch (IllegalStateException expected) {
            // the block did not commit, and is not counted
        }
    }

    /** n blocks that meet no one. */
    static void quiet(int n) {
        for (int i = 0; i < n; i++) atomic(() -> STM.increment(quiet, 1));
    }

    public static void main(String[] args) throws InterruptedException {
        heldCounter();
        staleRead();
        staleAtCommit();
        blockingRetry();
        thrown();
        quiet(1000);
        System.out.println("blocks " + blocks.get());
        System.out.println("counter " + counter.get());
        System.out.println("quiet " + quiet.get());
    }
}
