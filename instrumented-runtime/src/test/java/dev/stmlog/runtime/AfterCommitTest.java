package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Stm#afterCommit} and {@link Stm#afterRollback}; interleavings forced with latches. */
@Timeout(60)
class AfterCommitTest {

    /**
     * The first attempt is aborted (another thread commits a Ref it read): its afterCommit is
     * dropped and its afterRollback runs, then the re-run's afterCommit runs once, after the commit.
     */
    @Test
    void afterCommitRunsOnceAfterTheCommitAndAfterRollbackForTheAbortedAttempt() {
        Ref<Integer> x = new Ref<>(0, "x");
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch otherCommitted = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        List<String> log = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> Stm.atomic(() -> {
            int n = attempts.incrementAndGet();
            int v = x.get();
            x.set(v + 1);
            Stm.afterCommit(() -> log.add("commit " + n + ": in tx " + Stm.isInTransaction() + ", x " + x.get()
                    + ", on " + Thread.currentThread().getName()));
            Stm.afterRollback(() -> log.add("rollback " + n + ": in tx " + Stm.isInTransaction()));
            read.countDown();
            CommuteTest.await(otherCommitted);
        }), "committer");
        t.start();
        CommuteTest.await(read);
        x.set(10);
        otherCommitted.countDown();
        CommuteTest.join(t);
        assertEquals(List.of("rollback 1: in tx false", "commit 2: in tx false, x 11, on committer"), log);
    }

    @Test
    void actionsRunInRegistrationOrderIncludingNestedOnesAfterTheTopLevelCommit() {
        Ref<Integer> x = new Ref<>(0, "x");
        List<String> log = new CopyOnWriteArrayList<>();
        Stm.atomic(() -> {
            x.set(1);
            Stm.afterCommit(() -> log.add("a" + x.get()));
            Stm.atomic(() -> {
                x.set(2);
                Stm.afterCommit(() -> log.add("b" + x.get()));
            });
            assertTrue(log.isEmpty(), "a nested atomic's actions wait for the top-level commit");
            Stm.afterCommit(() -> log.add("c" + x.get()));
        });
        assertEquals(List.of("a2", "b2", "c2"), log);
    }

    @Test
    void aReadOnlyTransactionRunsItsActionsToo() {
        Ref<Integer> x = new Ref<>(3, "x");
        List<Integer> log = new CopyOnWriteArrayList<>();
        Stm.atomic(() -> Stm.afterCommit(() -> log.add(x.get())));
        assertEquals(List.of(3), log);
    }

    /** An action runs outside the transaction: a transaction it starts is a new one, with its own actions. */
    @Test
    void anActionMayStartATransaction() {
        Ref<Integer> x = new Ref<>(0, "x");
        Ref<Integer> y = new Ref<>(0, "y");
        List<String> log = new CopyOnWriteArrayList<>();
        StmStats before = Stm.stats();
        Stm.atomic(() -> {
            x.set(1);
            Stm.afterCommit(() -> Stm.atomic(() -> {
                y.set(x.get() + 1);
                Stm.afterCommit(() -> log.add("inner " + y.get()));
            }));
            Stm.afterCommit(() -> log.add("second"));
        });
        assertEquals(List.of("inner 2", "second"), log);
        assertEquals(2, y.get());
        assertEquals(2, Stm.stats().minus(before).commits());
    }

    @Test
    void anActionThatThrowsDoesNotStopTheOthersAndTheCommitStands() {
        Ref<Integer> x = new Ref<>(0, "x");
        List<String> log = new CopyOnWriteArrayList<>();
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> Stm.atomic(() -> {
            x.set(1);
            Stm.afterCommit(() -> {
                throw first;
            });
            Stm.afterCommit(() -> log.add("ran"));
            Stm.afterCommit(() -> {
                throw second;
            });
        }));
        assertSame(first, thrown);
        assertArrayEquals(new Throwable[] {second}, thrown.getSuppressed());
        assertEquals(List.of("ran"), log);
        assertEquals(1, x.get());
        assertFalse(Stm.isInTransaction());
    }

    @Test
    void afterRollbackRunsWhenAnExceptionRollsBackAndItsFailuresAreSuppressed() {
        Ref<Integer> x = new Ref<>(0, "x");
        List<String> log = new CopyOnWriteArrayList<>();
        RuntimeException boom = new RuntimeException("boom");
        IllegalStateException inRollback = new IllegalStateException("in rollback");
        StmStats before = Stm.stats();
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> Stm.atomic(() -> {
            x.set(1);
            Stm.afterCommit(() -> log.add("commit"));
            Stm.afterRollback(() -> log.add("rollback, x " + x.get() + ", in tx " + Stm.isInTransaction()));
            Stm.afterRollback(() -> {
                throw inRollback;
            });
            Stm.afterRollback(() -> log.add("after the failing one"));
            throw boom;
        }));
        assertSame(boom, thrown);
        assertArrayEquals(new Throwable[] {inRollback}, thrown.getSuppressed());
        assertEquals(List.of("rollback, x 0, in tx false", "after the failing one"), log);
        assertEquals(1, Stm.stats().minus(before).rollbacks());
    }

    @Test
    void afterRollbackRunsAfterARetry() {
        Ref<Boolean> ready = new Ref<>(false, "ready");
        List<String> log = new CopyOnWriteArrayList<>();
        AtomicInteger attempts = new AtomicInteger();
        Thread t = new Thread(() -> Stm.atomic(() -> {
            int n = attempts.incrementAndGet();
            Stm.afterRollback(() -> log.add("rollback " + n));
            Stm.afterCommit(() -> log.add("commit " + n));
            if (!ready.get()) {
                Stm.retry();
            }
        }));
        t.start();
        TestSupport.awaitCondition(() -> RetryWaiters.waiting() != 0, () -> "a thread blocked in retry");
        ready.set(true);
        CommuteTest.join(t);
        assertEquals(List.of("rollback 1", "commit 2"), log);
    }

    /** After a conflict, a failing afterRollback ends the transaction: no re-run, no effect. */
    @Test
    void aFailingAfterRollbackAfterAConflictEndsTheTransaction() {
        Ref<Integer> x = new Ref<>(0, "x");
        CountDownLatch read = new CountDownLatch(1);
        CountDownLatch otherCommitted = new CountDownLatch(1);
        AtomicInteger attempts = new AtomicInteger();
        IllegalStateException inRollback = new IllegalStateException("in rollback");
        List<Throwable> thrown = new CopyOnWriteArrayList<>();
        Thread t = new Thread(() -> {
            try {
                Stm.atomic(() -> {
                    attempts.incrementAndGet();
                    x.set(x.get() + 1);
                    Stm.afterRollback(() -> {
                        throw inRollback;
                    });
                    read.countDown();
                    CommuteTest.await(otherCommitted);
                });
            } catch (Throwable e) {
                thrown.add(e);
            }
        });
        t.start();
        CommuteTest.await(read);
        x.set(10);
        otherCommitted.countDown();
        CommuteTest.join(t);
        assertEquals(List.of(inRollback), thrown);
        assertEquals(1, attempts.get());
        assertEquals(10, x.get());
        // The thread's transaction state is clean: another transaction works.
        TestSupport.inOtherThread(() -> Stm.atomic(() -> x.set(x.get() + 1)));
        assertEquals(11, x.get());
    }

    @Test
    void outsideATransactionAfterCommitRunsAtOnceAndAfterRollbackNever() {
        List<String> log = new CopyOnWriteArrayList<>();
        Stm.afterCommit(() -> log.add("commit"));
        Stm.afterRollback(() -> log.add("rollback"));
        assertEquals(List.of("commit"), log);
    }

    @Test
    void inATransactionQueueTaskTheActionRunsAfterThatTaskCommits() {
        Ref<Integer> x = new Ref<>(0, "x");
        List<String> log = new CopyOnWriteArrayList<>();
        try (TransactionQueue q = new TransactionQueue(2)) {
            q.add(() -> {
                x.set(x.get() + 1);
                Stm.afterCommit(() -> log.add("task committed, x " + x.get() + ", on worker "
                        + Thread.currentThread().getName().startsWith("stm-worker")));
                q.add(() -> Stm.afterCommit(() -> log.add("child")));
            });
            q.run();
        }
        assertEquals(List.of("task committed, x 1, on worker true", "child"), log);
    }

    @Test
    void aFailingActionOfAQueueTaskIsATaskFailure() {
        Ref<Integer> x = new Ref<>(0, "x");
        IllegalStateException boom = new IllegalStateException("boom");
        try (TransactionQueue q = new TransactionQueue(1)) {
            q.add(() -> {
                x.set(1);
                Stm.afterCommit(() -> {
                    throw boom;
                });
            });
            assertSame(boom, assertThrows(IllegalStateException.class, q::run));
        }
        assertEquals(1, x.get());
    }
}
