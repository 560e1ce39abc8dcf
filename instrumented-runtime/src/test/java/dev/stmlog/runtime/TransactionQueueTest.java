package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
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
}
