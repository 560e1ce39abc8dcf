package dev.stmlog.runtime;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Drives the recorder's sampling with synthetic ticks, so that the busy time in the log can be
 * checked exactly: run by {@code RecordingTest} in a child JVM with {@code STM_LOG} set.
 *
 * <p>The real clock's sampler is replaced by one that does nothing (after it has ticked once,
 * so that no tick of the real sampler is still running), and this program calls
 * {@link Recorder#sample} itself while a worker thread is held, by latches, inside or between
 * its transactions:
 * <ol>
 *   <li>quiet transaction A: 3 ticks of 1 ms inside it (counted: 3 ms);</li>
 *   <li>between transactions: 2 ticks of 5 ms (not counted: no transaction);</li>
 *   <li>transaction B: 2 ticks of 7 ms inside it while quiet (counted: 14 ms), then it becomes
 *       inevitable, which writes its attempt and moves its samples' estimate from the batch to
 *       the attempt (an UNTIMED_START), then 1 tick of 4 ms while written (not counted: the
 *       attempt is timed exactly);</li>
 *   <li>quiet transaction C: 1 tick of 2 ms inside it (counted: 2 ms), then, once the real
 *       clock has ticked, it commits: its batch is written at its commit.</li>
 * </ol>
 * So the worker's COMMITS records count 2 commits (A and C; B is written on its own), and
 * their busy time plus B's untimed estimate is exactly {@value #SAMPLED_NANOS} ns. Prints
 * {@code done} when the worker has finished.
 */
public final class SyntheticTicks {

    /** The ticks that fell inside quiet attempts: 3 x 1 ms + 2 x 7 ms + 1 x 2 ms. */
    public static final long SAMPLED_NANOS = 19_000_000;
    public static final String WORKER = "ticked-worker";

    private static final long TIMEOUT_SECONDS = 60;

    public static void main(String[] args) throws Exception {
        CountDownLatch clockUsesNoOp = new CountDownLatch(1);
        Recorder.sampler = (now, dt) -> clockUsesNoOp.countDown(); // also starts the recorder
        if (!Recorder.isRecording()) throw new IllegalStateException("STM_LOG is not set or not writable");
        await(clockUsesNoOp);

        Gate inA = new Gate(), outA = new Gate(), betweenAB = new Gate(), goB = new Gate();
        Gate inB = new Gate(), outBQuiet = new Gate(), inBWritten = new Gate(), outB = new Gate();
        Gate inC = new Gate(), outC = new Gate();
        Ref<Long> ref = new Ref<>(0L, "ticked");
        Thread worker = new Thread(() -> {
            Stm.atomic(() -> {
                ref.set(ref.get() + 1);
                inA.open();
                outA.await();
            });
            betweenAB.open();
            goB.await();
            Stm.atomic(() -> {
                ref.set(ref.get() + 1);
                inB.open();
                outBQuiet.await();
                Stm.inevitable();
                inBWritten.open();
                outB.await();
            });
            Stm.atomic(() -> {
                ref.set(ref.get() + 1);
                inC.open();
                outC.await();
            });
        }, WORKER);
        worker.start();

        inA.await();
        tick(1_000_000, 3);
        outA.open();
        betweenAB.await();
        tick(5_000_000, 2);
        goB.open();
        inB.await();
        tick(7_000_000, 2);
        outBQuiet.open();
        inBWritten.await();
        tick(4_000_000, 1);
        outB.open();
        inC.await();
        tick(2_000_000, 1);
        // The commit of C writes its batch if the real clock has ticked since B's commit wrote
        // one: wait for a tick, so that it does, and C's samples must be in that batch.
        long tickAfterB = CoarseClock.now();
        TestSupport.awaitCondition(() -> CoarseClock.now() != tickAfterB, () -> "the clock to tick");
        outC.open();

        worker.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
        if (worker.isAlive()) throw new IllegalStateException("the worker did not finish");
        if (ref.get() != 3L) throw new IllegalStateException("ref=" + ref.get());
        System.out.println("done");
    }

    private static void tick(long dt, int times) {
        for (int i = 0; i < times; i++) Recorder.sample(System.nanoTime(), dt);
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("timed out");
    }

    /** A one-shot latch whose wait cannot hang and needs no checked exception in a transaction. */
    private static final class Gate {
        private final CountDownLatch latch = new CountDownLatch(1);

        void open() {
            latch.countDown();
        }

        void await() {
            try {
                if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("timed out");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
