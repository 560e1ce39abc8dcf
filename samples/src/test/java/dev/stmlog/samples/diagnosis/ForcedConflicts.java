package dev.stmlog.samples.diagnosis;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Conflicts forced with latches, on lines that {@link ForcedConflictsTest} finds by their
 * comments, run in a child JVM with {@code STM_LOG} set. Nothing here depends on timing: each
 * conflict is made to happen, and nothing else can conflict.
 *
 * <ul>
 *   <li>{@code twoline THREADS ROUNDS}: in each round one thread (the victim) reads the shared
 *       Ref and waits; another reads and writes it and commits; the victim then writes it and
 *       commits, which fails at commit validation (a write-read conflict met after the
 *       transaction's code has returned) and re-runs. The threads take turns in both roles,
 *       so the first round is the first conflict on a fresh Ref.</li>
 *   <li>{@code inevitable}: one thread becomes inevitable and stays so until the other, calling
 *       {@code Stm.inevitable()} too, is blocked waiting for it.</li>
 *   <li>{@code refill ROUNDS same|new}: in each round one thread reads a cache Ref and waits;
 *       another fills the cache, always the same thread, with a string equal to the one it holds
 *       ({@code same}) or another one ({@code new}), and commits; the reader then writes another
 *       Ref and commits, which fails at commit validation and re-runs.</li>
 * </ul>
 */
public final class ForcedConflicts {
    private static final long TIMEOUT_S = 30;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "twoline" -> twoLine(Integer.parseInt(args[1]), Integer.parseInt(args[2]));
            case "inevitable" -> inevitable();
            case "refill" -> refill(Integer.parseInt(args[1]), args[2].equals("same"));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void bump(Ref<Long> shared, Runnable between) {
        Stm.atomic(() -> { // planted: atomic
            long v = shared.get(); // planted: read
            between.run();
            shared.set(v + 1); // planted: write
        });
    }

    private static void twoLine(int threads, int rounds) throws Exception {
        Ref<Long> shared = new Ref<>(0L, "planted");
        List<ExecutorService> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) workers.add(Executors.newSingleThreadExecutor());
        for (int round = 0; round < rounds; round++) {
            CountDownLatch victimRead = new CountDownLatch(1);
            CountDownLatch otherCommitted = new CountDownLatch(1);
            boolean[] firstAttempt = {true};
            Future<?> victim = workers.get(round % threads).submit(() -> bump(shared, () -> {
                if (firstAttempt[0]) { // the re-run must not wait again
                    firstAttempt[0] = false;
                    victimRead.countDown();
                    await(otherCommitted);
                }
            }));
            Future<?> other = workers.get((round + 1) % threads).submit(() -> {
                await(victimRead);
                bump(shared, () -> { });
                otherCommitted.countDown();
            });
            other.get(TIMEOUT_S, TimeUnit.SECONDS);
            victim.get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        for (ExecutorService w : workers) w.shutdown();
        System.out.println("shared=" + shared.get());
    }

    private static void refill(int rounds, boolean same) throws Exception {
        Ref<String> cache = new Ref<>("etag-0", "forced.cache");
        Ref<Long> served = new Ref<>(0L, "forced.served");
        ExecutorService reader = Executors.newSingleThreadExecutor();
        ExecutorService filler = Executors.newSingleThreadExecutor();
        for (int round = 0; round < rounds; round++) {
            CountDownLatch read = new CountDownLatch(1);
            CountDownLatch filled = new CountDownLatch(1);
            boolean[] firstAttempt = {true};
            Future<?> victim = reader.submit(() -> Stm.atomic(() -> {
                cache.get(); // planted: cache read
                if (firstAttempt[0]) { // the re-run must not wait again
                    firstAttempt[0] = false;
                    read.countDown();
                    await(filled);
                }
                served.set(served.get() + 1);
            }));
            int n = round + 1;
            Future<?> other = filler.submit(() -> {
                await(read);
                // an equal string, not the same object, or a new one
                String value = same ? new String("etag-0") : "etag-" + n;
                Stm.atomic(() -> cache.set(value)); // planted: fill
                filled.countDown();
            });
            other.get(TIMEOUT_S, TimeUnit.SECONDS);
            victim.get(TIMEOUT_S, TimeUnit.SECONDS);
        }
        reader.shutdown();
        filler.shutdown();
        System.out.println("served=" + served.get());
    }

    private static void inevitable() throws Exception {
        CountDownLatch holderInevitable = new CountDownLatch(1);
        Thread[] waiter = new Thread[1];
        CountDownLatch waiterStarted = new CountDownLatch(1);
        Thread holder = new Thread(() -> Stm.atomic(() -> {
            Stm.inevitable(); // planted: inevitable
            holderInevitable.countDown();
            await(waiterStarted);
            // The waiter spins briefly, then blocks until the token is released.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
            while (!blockedOnInevitable(waiter[0])) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("the waiter never blocked");
                Thread.onSpinWait();
            }
        }), "holder");
        waiter[0] = new Thread(() -> {
            await(holderInevitable);
            waiterStarted.countDown();
            Stm.atomic(() -> {
                Stm.inevitable(); // planted: waits
            });
        }, "waiter");
        holder.start();
        waiter[0].start();
        holder.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        waiter[0].join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
        if (holder.isAlive() || waiter[0].isAlive()) throw new IllegalStateException("timed out");
        System.out.println("done");
    }

    /** Whether {@code t} is blocked in the runtime, waiting for the inevitable token. */
    private static boolean blockedOnInevitable(Thread t) {
        if (t.getState() != Thread.State.WAITING) return false;
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().equals("dev.stmlog.runtime.Inevitability") && e.getMethodName().equals("block")) return true;
        }
        return false;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(TIMEOUT_S, TimeUnit.SECONDS)) throw new IllegalStateException("timed out");
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
