package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class TransactionQueueTest {

    @Test
    void outcomeEqualsTheSerialExecutionInTheCommittedOrder() {
        int n = 3_000;
        Ref<Integer> size = new Ref<>(0, "size");
        TArray<Integer> log = new TArray<>(n, -1, "log");
        Ref<Long> hash = new Ref<>(17L, "hash"); // order-sensitive accumulator
        try (TransactionQueue q = new TransactionQueue(4)) {
            for (int i = 0; i < n; i++) {
                int id = i;
                q.add(() -> {
                    int pos = size.get();
                    log.set(pos, id);
                    size.set(pos + 1);
                    hash.set(hash.get() * 31 + id);
                });
            }
            q.run();
        }
        assertEquals(n, size.get());
        int[] order = new int[n];
        long replay = 17L;
        for (int pos = 0; pos < n; pos++) {
            order[pos] = log.get(pos);
            replay = replay * 31 + order[pos]; // the serial execution in log order
        }
        assertEquals(replay, hash.get());
        Arrays.sort(order);
        for (int i = 0; i < n; i++) {
            assertEquals(i, order[i], "every task ran exactly once");
        }
    }

    @Test
    void tasksAddedByTasksRunInTheSameRun() {
        int roots = 200;
        Ref<Integer> executed = new Ref<>(0);
        AtomicIntegerArray runsPerId = new AtomicIntegerArray(roots * 5);
        try (TransactionQueue q = new TransactionQueue(3)) {
            for (int r = 0; r < roots; r++) {
                int root = r;
                q.add(() -> {
                    executed.update(v -> v + 1);
                    for (int c = 0; c < 2; c++) {
                        int child = roots + root * 2 + c;
                        q.add(() -> {
                            executed.update(v -> v + 1);
                            int grandChild = roots * 3 + (child - roots);
                            q.add(() -> {
                                executed.update(v -> v + 1);
                                markOnce(runsPerId, grandChild);
                            });
                            markOnce(runsPerId, child);
                        });
                    }
                    markOnce(runsPerId, root);
                });
            }
            q.run();
        }
        assertEquals(roots * 5, executed.get());
        for (int i = 0; i < runsPerId.length(); i++) {
            assertEquals(1, runsPerId.get(i), "task " + i);
        }
    }

    /** Counts a committed execution: called after Stm.inevitable(), so it happens exactly once. */
    private static void markOnce(AtomicIntegerArray runs, int id) {
        Stm.inevitable();
        runs.incrementAndGet(id);
    }

    @Test
    void tasksAddedByAnAbortedAttemptAreNotDuplicated() {
        int parents = 50;
        Ref<Integer> hot = new Ref<>(0, "hot");
        Ref<Integer> childRuns = new Ref<>(0, "childRuns");
        AtomicIntegerArray attempts = new AtomicIntegerArray(parents);
        StmStats before = Stm.stats();
        try (TransactionQueue q = new TransactionQueue(2)) {
            for (int p = 0; p < parents; p++) {
                int parent = p;
                q.add(() -> {
                    int seen = hot.get();
                    q.add(() -> childRuns.update(v -> v + 1));
                    if (attempts.incrementAndGet(parent) == 1) {
                        // Invalidate our read from outside: this attempt cannot commit.
                        TestSupport.inOtherThread(() -> hot.update(v -> v + 1));
                    }
                    hot.set(seen + 1);
                });
            }
            q.run();
        }
        assertEquals(parents, childRuns.get());
        for (int p = 0; p < parents; p++) {
            assertTrue(attempts.get(p) >= 2, "parent " + p + " aborted at least once");
        }
        assertTrue(Stm.stats().minus(before).conflictAborts() >= parents);
    }

    @Test
    void tasksAddedBeforeARetryAreNotDuplicated() {
        Ref<Boolean> go = new Ref<>(false, "go");
        Ref<Integer> childRuns = new Ref<>(0);
        AtomicInteger waiterAttempts = new AtomicInteger();
        try (TransactionQueue q = new TransactionQueue(2)) {
            q.add(() -> {
                waiterAttempts.incrementAndGet();
                q.add(() -> childRuns.update(v -> v + 1));
                if (!go.get()) {
                    Stm.retry();
                }
            });
            q.add(() -> go.set(true));
            q.run();
        }
        assertEquals(1, childRuns.get());
        assertTrue(waiterAttempts.get() >= 1);
    }

    @Test
    void aFailingTaskIsRolledBackAndRethrownAfterTheOthersFinish() {
        Ref<Integer> committed = new Ref<>(0);
        Ref<Boolean> poisoned = new Ref<>(false);
        RuntimeException first = new IllegalStateException("task 50");
        RuntimeException second = new IllegalArgumentException("task 150");
        try (TransactionQueue q = new TransactionQueue(4)) {
            for (int i = 0; i < 200; i++) {
                int id = i;
                q.add(() -> {
                    if (id == 50 || id == 150) {
                        poisoned.set(true);
                        q.add(() -> poisoned.set(true)); // discarded with the failed task
                        throw id == 50 ? first : second;
                    }
                    committed.update(v -> v + 1);
                });
            }
            RuntimeException thrown = assertThrows(RuntimeException.class, q::run);
            assertTrue(thrown == first || thrown == second);
            Throwable[] suppressed = thrown.getSuppressed();
            assertEquals(1, suppressed.length);
            assertSame(thrown == first ? second : first, suppressed[0]);
            assertEquals(198, committed.get(), "all other tasks finished before run() threw");
            assertFalse(poisoned.get());

            // The queue is still usable afterwards, and old failures are not reported again.
            q.add(() -> committed.update(v -> v + 1));
            q.run();
            assertEquals(199, committed.get());
        }
    }

    @Test
    void theQueueIsReusable() {
        Ref<Integer> counter = new Ref<>(0);
        Set<String> workerNames = ConcurrentHashMap.newKeySet();
        try (TransactionQueue q = new TransactionQueue(2)) {
            q.run(); // nothing to do
            for (int round = 1; round <= 5; round++) {
                for (int i = 0; i < 100; i++) {
                    q.add(() -> {
                        workerNames.add(Thread.currentThread().getName());
                        counter.update(v -> v + 1);
                    });
                }
                q.run();
                assertEquals(round * 100, counter.get());
            }
        }
        assertFalse(workerNames.isEmpty());
        for (String name : workerNames) {
            assertTrue(name.startsWith("stm-worker-"), name);
        }
    }

    @Test
    void addInsideAPlainTransactionTakesEffectOnCommitOnly() {
        Ref<Integer> counter = new Ref<>(0);
        try (TransactionQueue q = new TransactionQueue(1)) {
            assertThrows(IllegalStateException.class, () -> Stm.atomic(() -> {
                q.add(() -> counter.update(v -> v + 100));
                throw new IllegalStateException("rolled back");
            }));
            Stm.atomic(() -> q.add(() -> counter.update(v -> v + 1)));
            q.run();
        }
        assertEquals(1, counter.get());
    }

    @Test
    void misuseIsRejected() {
        TransactionQueue q = new TransactionQueue(1);
        assertThrows(IllegalArgumentException.class, () -> new TransactionQueue(0));
        assertThrows(IllegalStateException.class, () -> Stm.atomic(q::run));
        q.add(q::run); // run() from a task of the same queue
        assertThrows(IllegalStateException.class, q::run);
        q.close();
        assertThrows(IllegalStateException.class, () -> q.add(() -> { }));
        assertThrows(IllegalStateException.class, q::run);
        assertTrue(new TransactionQueue().threads() >= 1);
    }

    // ------------------------------------------------------------------ interrupt status

    @Test
    void aTaskThatLeavesItsInterruptStatusSetDoesNotPassItOn() {
        Ref<Boolean> flag = new Ref<>(false, "flag");
        AtomicReference<Boolean> nextSawInterrupt = new AtomicReference<>();
        AtomicBoolean waiterDone = new AtomicBoolean();
        TransactionQueue q = new TransactionQueue(1); // not closed if run() hangs: close() would wait for it
        q.add(() -> {
            Stm.inevitable(); // once: a re-run would find the status already set
            Thread.currentThread().interrupt(); // as after catching InterruptedException
        });
        q.add(() -> {
            Stm.inevitable();
            nextSawInterrupt.set(Thread.currentThread().isInterrupted());
        });
        // On the same (only) worker: waits in retry() until the next task sets the flag.
        q.add(() -> {
            if (!flag.get()) {
                Stm.retry();
            }
            waiterDone.set(true);
        });
        q.add(() -> flag.set(true));
        runReturns(q, "after a task left the interrupt status set");
        q.close();
        assertEquals(false, nextSawInterrupt.get(), "the next task started with the status clear");
        assertTrue(waiterDone.get(), "the retrying task completed (no TransactionInterruptedException)");
    }

    @Test
    void anIdleWorkerParksAfterATaskLeftItsInterruptStatusSet() {
        AtomicReference<Thread> worker = new AtomicReference<>();
        TransactionQueue q = new TransactionQueue(1); // not closed if run() hangs: close() would wait for it
        q.add(() -> {
            worker.set(Thread.currentThread());
            Thread.currentThread().interrupt();
        });
        runReturns(q, "a task that interrupts itself");
        Thread w = worker.get();
        // With the status left set, park() returned at once and the idle worker spun; it
        // may pass through park() while spinning, so the status is what tells them apart.
        TestSupport.awaitCondition(() -> isParked(w) && !w.isInterrupted(),
                () -> "worker idle in LockSupport.park with its interrupt status clear; state "
                        + w.getState() + ", interrupted " + w.isInterrupted());
        q.close();
    }

    private static boolean isParked(Thread t) {
        Thread.State state = t.getState();
        if (state != Thread.State.WAITING && state != Thread.State.TIMED_WAITING) {
            return false;
        }
        for (StackTraceElement frame : t.getStackTrace()) {
            if (frame.getClassName().equals("java.util.concurrent.locks.LockSupport")
                    && frame.getMethodName().startsWith("park")) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ retry in tasks

    @Test
    void aTaskWaitingInRetryDoesNotStarveTheOnlyWorker() {
        Ref<Boolean> flag = new Ref<>(false, "flag");
        List<String> committed = Collections.synchronizedList(new ArrayList<>());
        TransactionQueue q = new TransactionQueue(1); // not closed if run() hangs: close() would wait for it
        q.add(() -> { // A: needs B first
            if (!flag.get()) {
                Stm.retry();
            }
            Stm.inevitable();
            committed.add("A");
        });
        q.add(() -> { // B
            flag.set(true);
            Stm.inevitable();
            committed.add("B");
        });
        runReturns(q, "A waiting for B on one worker");
        q.close();
        assertEquals(List.of("B", "A"), committed);
    }

    @Test
    void asManyWaitingTasksAsWorkersAheadOfTheOneThatUnblocksThem() {
        Ref<Boolean> flag = new Ref<>(false, "flag");
        Ref<Integer> waitersDone = new Ref<>(0, "waitersDone");
        AtomicInteger flagSetters = new AtomicInteger();
        TransactionQueue q = new TransactionQueue(2); // not closed if run() hangs: close() would wait for it
        for (int i = 0; i < 2; i++) {
            q.add(() -> {
                if (!flag.get()) {
                    Stm.retry();
                }
                waitersDone.update(v -> v + 1);
            });
        }
        q.add(() -> {
            flag.set(true);
            Stm.inevitable();
            flagSetters.incrementAndGet();
        });
        runReturns(q, "two waiting tasks on two workers ahead of the unblocking one");
        q.close();
        assertEquals(2, waitersDone.get());
        assertEquals(1, flagSetters.get());
    }

    @Test
    void runWaitsForASetAsideTaskUntilItCommits() throws InterruptedException {
        Ref<Boolean> flag = new Ref<>(false, "flag");
        Ref<Boolean> waiterDone = new Ref<>(false, "waiterDone");
        AtomicReference<Thread> worker = new AtomicReference<>();
        StmStats before = Stm.stats();
        TransactionQueue q = new TransactionQueue(1);
        q.add(() -> {
            worker.set(Thread.currentThread());
            if (!flag.get()) {
                Stm.retry(); // unblocked from outside the queue
            }
            waiterDone.set(true);
        });
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = startRun(q, failure);
        TestSupport.awaitCondition(() -> RetryWaiters.waiting() == 1, () -> "the task is set aside");
        // Set aside, not blocking the worker: it goes idle, and run() keeps waiting.
        TestSupport.awaitCondition(() -> isParked(worker.get()), () -> "worker idle, state " + worker.get().getState());
        assertTrue(runner.isAlive(), "run() waits for the set aside task");
        assertFalse(waiterDone.get());
        flag.set(true);
        runner.join(TimeUnit.SECONDS.toMillis(30));
        assertFalse(runner.isAlive(), "run() returned once the task committed");
        assertEquals(null, failure.get());
        assertTrue(waiterDone.get(), "the task committed before run() returned");
        assertEquals(0, RetryWaiters.waiting());
        assertTrue(Stm.stats().minus(before).retries() >= 1);
        q.close();
    }

    @Test
    void unrelatedCommitsDoNotResumeASetAsideTask() {
        Ref<Boolean> flag = new Ref<>(false, "flag");
        Ref<Integer> unrelated = new Ref<>(0, "unrelated");
        AtomicInteger sawFlagUnset = new AtomicInteger();
        TransactionQueue q = new TransactionQueue(2); // not closed if run() hangs: close() would wait for it
        q.add(() -> {
            if (!flag.get()) {
                sawFlagUnset.incrementAndGet();
                Stm.retry();
            }
        });
        for (int i = 0; i < 100; i++) {
            q.add(() -> unrelated.update(v -> v + 1));
        }
        // Sets the flag after the unrelated commits (two workers may run tasks out of order).
        q.add(() -> {
            if (unrelated.get() < 100) {
                Stm.retry();
            }
            flag.set(true);
        });
        runReturns(q, "unrelated commits while a task is set aside");
        q.close();
        assertEquals(100, unrelated.get());
        // Re-run only once the flag had changed, not by the unrelated commits.
        assertEquals(1, sawFlagUnset.get());
    }

    // ------------------------------------------------------------------ concurrent run() calls

    @Test
    void concurrentRunCallersGetTheFailuresOfTheirOwnRun() throws InterruptedException {
        RuntimeException failureOfFirst = new IllegalStateException("task of the first run");
        CountDownLatch taskStarted = new CountDownLatch(1);
        CountDownLatch fail = new CountDownLatch(1);
        try (TransactionQueue q = new TransactionQueue(1)) {
            q.add(() -> {
                Stm.inevitable(); // runs once
                taskStarted.countDown();
                await(fail);
                throw failureOfFirst;
            });
            AtomicReference<Throwable> firstGot = new AtomicReference<>();
            AtomicReference<Throwable> secondGot = new AtomicReference<>();
            Thread first = startRun(q, firstGot);
            assertTrue(taskStarted.await(30, TimeUnit.SECONDS));
            Thread second = startRun(q, secondGot);
            // The second caller waits for the first run to end.
            TestSupport.awaitCondition(() -> second.getState() == Thread.State.WAITING, () -> "second run() blocked");
            fail.countDown();
            first.join(TimeUnit.SECONDS.toMillis(30));
            second.join(TimeUnit.SECONDS.toMillis(30));
            assertFalse(first.isAlive() || second.isAlive(), "both run() calls returned");
            assertSame(failureOfFirst, firstGot.get());
            assertEquals(null, secondGot.get(), "the second run had no failing task");
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Calls {@code q.run()} on another thread and fails, instead of hanging, if it does not return
     * (the queue is then left open: close() would wait for the run). Rethrows run()'s failure.
     */
    private static void runReturns(TransactionQueue q, String what) {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread runner = startRun(q, failure);
        try {
            runner.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (runner.isAlive()) {
            throw new AssertionError("run() did not return: " + what);
        }
        Throwable f = failure.get();
        if (f != null) {
            throw new AssertionError("run() threw", f);
        }
    }

    private static Thread startRun(TransactionQueue q, AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                q.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "run-caller");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("latch not released");
            }
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
