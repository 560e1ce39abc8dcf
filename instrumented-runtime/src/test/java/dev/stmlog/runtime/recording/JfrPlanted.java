package dev.stmlog.runtime.recording;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Write-read conflicts forced with latches, on lines that the JFR tests find by their comments
 * (outside the package {@code dev.stmlog.runtime}, whose frames stack captures drop). In each
 * round the victim reads the Ref and waits; the other reads, writes and commits; the victim then
 * writes and fails at commit validation, and its re-run reads again. Nothing depends on timing.
 */
public final class JfrPlanted {
    private static final long TIMEOUT_S = 30;

    private JfrPlanted() {
    }

    static void bump(Ref<Long> shared, Runnable between) {
        Stm.atomic(() -> {
            long v = shared.get(); // planted: read
            between.run();
            shared.set(v + 1); // planted: write
        });
    }

    /**
     * {@code rounds} forced conflicts on a fresh Ref between two fresh threads, which take turns
     * as the victim; {@code onWorker} runs on each worker thread at the end (to inspect it).
     */
    public static long twoLine(int rounds, Consumer<Integer> onWorker) throws Exception {
        Ref<Long> shared = new Ref<>(0L, "planted");
        List<ExecutorService> workers = List.of(Executors.newSingleThreadExecutor(), Executors.newSingleThreadExecutor());
        try {
            for (int round = 0; round < rounds; round++) {
                CountDownLatch victimRead = new CountDownLatch(1);
                CountDownLatch otherCommitted = new CountDownLatch(1);
                boolean[] firstAttempt = {true};
                Future<?> victim = workers.get(round % 2).submit(() -> bump(shared, () -> {
                    if (firstAttempt[0]) { // the re-run must not wait again
                        firstAttempt[0] = false;
                        victimRead.countDown();
                        await(otherCommitted);
                    }
                }));
                Future<?> other = workers.get((round + 1) % 2).submit(() -> {
                    await(victimRead);
                    bump(shared, () -> { });
                    otherCommitted.countDown();
                });
                other.get(TIMEOUT_S, TimeUnit.SECONDS);
                victim.get(TIMEOUT_S, TimeUnit.SECONDS);
            }
            List<Future<?>> checks = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int w = i;
                checks.add(workers.get(i).submit(() -> onWorker.accept(w)));
            }
            for (Future<?> f : checks) f.get(TIMEOUT_S, TimeUnit.SECONDS);
        } finally {
            for (ExecutorService w : workers) w.shutdown();
        }
        return shared.get();
    }

    /** One transaction that becomes inevitable on the planted line. */
    public static void inevitable(Ref<Long> r) {
        Stm.atomic(() -> {
            Stm.inevitable(); // planted: inevitable
            r.set(r.get() + 1);
        });
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(TIMEOUT_S, TimeUnit.SECONDS)) throw new IllegalStateException("timed out");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
