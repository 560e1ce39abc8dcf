package dev.stmlog.runtime;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Entry points of the software transactional memory.
 *
 * <pre>{@code
 * Ref<Integer> from = new Ref<>(100, "from"), to = new Ref<>(0, "to");
 * Stm.atomic(() -> {
 *     from.update(v -> v - 10);
 *     to.update(v -> v + 10);
 * });
 * }</pre>
 *
 * <p>Transactions are serializable and opaque: user code inside a transaction only ever
 * observes a consistent snapshot, even in an attempt that is later aborted. The code of a
 * transaction may run several times, so it must not perform irrevocable actions (I/O, ...)
 * unless it first calls {@link #inevitable()}.
 */
public final class Stm {

    private Stm() {
    }

    /**
     * Runs {@code body} as a transaction, re-running it on conflict until it commits. A call
     * inside a running transaction joins it (flat nesting): its effects commit or roll back with
     * the outermost transaction. An exception thrown by {@code body} rolls the (outermost)
     * transaction back and propagates unchanged; note that with flat nesting an outer body that
     * catches an exception of a nested {@code atomic} keeps the nested block's writes.
     */
    public static void atomic(Runnable body) {
        Objects.requireNonNull(body, "body");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            body.run();
        } else {
            tx.execute(body, Txn.RUNNABLE);
        }
    }

    /** Like {@link #atomic(Runnable)}, returning the body's result. */
    @SuppressWarnings("unchecked")
    public static <T> T atomic(Supplier<T> body) {
        Objects.requireNonNull(body, "body");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            return body.get();
        }
        return (T) tx.execute(body, Txn.SUPPLIER);
    }

    /**
     * {@link #atomic(Runnable)}, and {@code mark.mark(1)} once {@code body} has committed: a mark
     * per transaction, counted with the transaction at hand, cheaper than a
     * {@link Marker#mark} after {@code atomic} returns, which must find the thread's counts first.
     * Not if {@code body} throws (nothing committed). Inside a running transaction (flat
     * nesting) the mark is made once that transaction commits, once whatever its attempts: as an
     * {@link #afterCommit} action. With {@code STM_LOG} unset it is {@code atomic(body)}.
     *
     * <pre>{@code
     * static final Marker TRANSFERS = Stm.marker("transfer");
     * ...
     * Stm.atomic(TRANSFERS, () -> {
     *     from.set(from.get() - 10);
     *     to.set(to.get() + 10);
     * });
     * }</pre>
     */
    public static void atomic(Marker mark, Runnable body) {
        Objects.requireNonNull(mark, "mark");
        Objects.requireNonNull(body, "body");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            body.run();
            if (Recorder.ENABLED) {
                tx.afterCommit(mark.markOne);
            }
        } else {
            tx.execute(body, Txn.RUNNABLE);
            if (Recorder.ENABLED) {
                Recorder.mark(tx, mark, 1);
            }
        }
    }

    /** The body of {@link #run(TxRunnable)}: transactional code given its transaction. */
    @FunctionalInterface
    public interface TxRunnable {
        void run(Txn tx);
    }

    /** The body of {@link #call(TxCallable)}: transactional code given its transaction. */
    @FunctionalInterface
    public interface TxCallable<T> {
        T call(Txn tx);
    }

    /**
     * {@link #atomic(Runnable)}, with the transaction handed to the body: its accesses name it
     * ({@code ref.get(tx)}, {@code ref.set(tx, v)}, {@code array.get(tx, i)}, {@code map.get(tx, k)})
     * instead of finding it per access, which makes a read cheaper (see the module README).
     * Same semantics otherwise: re-run on conflict, flat nesting (inside a running transaction
     * the body joins it and gets its {@code Txn}), an exception rolls back and propagates.
     * The {@code Txn} is valid only inside the body, on its thread; an access through it after
     * the transaction has ended throws {@link IllegalStateException}.
     *
     * <pre>{@code
     * Stm.run(tx -> {
     *     from.set(tx, from.get(tx) - 10);
     *     to.set(tx, to.get(tx) + 10);
     * });
     * }</pre>
     *
     * For {@code long} values a {@link TLong} saves the rest of a {@code Ref<Long>}'s cost, the
     * boxing: {@code x.setLong(tx, x.getLong(tx) + 1)} allocates nothing (see the module README).
     *
     * (Not an overload of {@code atomic}: {@code atomic(tx -> ref.set(tx, v))} would be
     * ambiguous between a void and a value-returning body.)
     */
    public static void run(TxRunnable body) {
        Objects.requireNonNull(body, "body");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            body.run(tx);
        } else {
            tx.execute(body, Txn.TX_RUNNABLE);
        }
    }

    /**
     * {@link #atomic(Supplier)}, with the transaction handed to the body: like
     * {@link #run(TxRunnable)}, returning the body's result.
     *
     * <pre>{@code
     * long total = Stm.call(tx -> a.get(tx) + b.get(tx));
     * }</pre>
     */
    @SuppressWarnings("unchecked")
    public static <T> T call(TxCallable<T> body) {
        Objects.requireNonNull(body, "body");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            return body.call(tx);
        }
        return (T) tx.execute(body, Txn.TX_CALLABLE);
    }

    /**
     * Makes the current transaction inevitable: from the moment this returns it will commit
     * and never be aborted, so it may perform irrevocable actions (I/O...). At most one
     * transaction is inevitable at a time; a caller waits for the current one to finish. This
     * call may itself abort the attempt (if what it read is already stale), in which case the
     * transaction re-runs as inevitable from its start. While a transaction is inevitable,
     * other transactions keep running but wait before committing writes.
     *
     * <p>Outside a transaction this is a no-op: non-transactional code is irrevocable anyway.
     * Inside an inevitable transaction, {@link #retry()} throws {@link IllegalStateException}.
     */
    public static void inevitable() {
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            tx.becomeInevitable();
        }
    }

    /**
     * Abandons the current attempt and blocks until one of the Refs it read has been changed by
     * another transaction, then re-runs the transaction. Never returns normally. In a
     * {@link TransactionQueue} task the worker does not block: the task is set aside and
     * re-run when one of those Refs has changed, while the worker runs other tasks.
     *
     * @throws IllegalStateException outside a transaction, in an inevitable transaction, or if
     *                               the transaction read no Ref (it would block forever)
     * @throws TransactionInterruptedException (from the enclosing {@code atomic}) if the thread
     *                               is interrupted while blocked
     */
    public static void retry() {
        Txn tx = CurrentTxn.get();
        if (!tx.active) {
            throw new IllegalStateException("Stm.retry() outside a transaction");
        }
        tx.requestRetry();
    }

    /**
     * Runs {@code action} once the current transaction has committed: on the committing thread,
     * after the commit, outside the transaction (a transaction the action starts is a new,
     * top-level one). The standard way to take I/O and other irrevocable effects out of a
     * transaction without making it {@link #inevitable()}.
     *
     * <ul>
     *   <li>Registered per attempt: an attempt that is rolled back (conflict, retry, exception)
     *       drops its actions, and the re-run registers them again; so an action runs once,
     *       after the attempt that commits.</li>
     *   <li>Actions run in registration order (interleaved with the publication of
     *       {@link TransactionQueue#add} tasks of the transaction, also in that order). One that
     *       throws does not stop the others; the first exception then propagates from the
     *       transaction's {@code atomic} (the others suppressed in it), and the commit stands.</li>
     *   <li>Flat nesting: an action registered in a nested {@code atomic} belongs to the
     *       top-level transaction and runs after its commit. In a {@link TransactionQueue} task
     *       it runs after that task commits, on the worker (its exception is a task failure).</li>
     *   <li>Outside a transaction {@code action} runs at once (non-transactional code has
     *       nothing to wait for, as {@link #inevitable()} is a no-op there).</li>
     * </ul>
     */
    public static void afterCommit(Runnable action) {
        Objects.requireNonNull(action, "action");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            tx.afterCommit(action);
        } else {
            action.run();
        }
    }

    /**
     * Runs {@code action} if the current attempt is rolled back, once it is over, on its thread,
     * outside the transaction (an action may start a transaction of its own). An attempt is
     * rolled back by a conflict (the action runs before the re-run), by {@link #retry()} (after
     * the wait, before the re-run; also if the wait is interrupted), or by an exception (before
     * the exception propagates). Registered per attempt, like {@link #afterCommit}: each
     * attempt that registers it and rolls back runs it once; a commit drops it.
     *
     * <p>Actions run in registration order; one that throws does not stop the others. After an
     * exception rollback their exceptions are added to it as suppressed. After a conflict or a
     * retry, the first is thrown from the transaction's {@code atomic} (the others suppressed
     * in it) and the transaction is not re-run: it ends with no effect, as if its body had
     * thrown. Outside a transaction this is a no-op: nothing there can roll back.
     */
    public static void afterRollback(Runnable action) {
        Objects.requireNonNull(action, "action");
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            tx.afterRollback(action);
        }
    }

    /**
     * Records an application mark, such as {@code mark("request completed", 1)}, when
     * {@code STM_LOG} is set; does nothing otherwise. {@code stmlog} counts marks (the scaling
     * report takes throughput from them), so mark each completed unit of work. Marks are
     * counted per thread and name and written about once per clock tick (10 ms), so their times
     * are known to a tick; a mark costs a few nanoseconds. Use {@link #markTimed} for the rare
     * mark that needs its own time. Marks are not transactional: one made in an attempt that
     * aborts is recorded all the same, so make them after {@code atomic} returns. For a mark made
     * often, a {@link #marker} is cheaper: it does not look the name up among the thread's; for
     * a mark per transaction, {@link #atomic(Marker, Runnable)} is cheaper still.
     */
    public static void mark(String name, long value) {
        Objects.requireNonNull(name, "name");
        if (Recorder.ENABLED) {
            Recorder.mark(name, value);
        }
    }

    /**
     * The {@link Marker} for {@code name}: {@code marker.mark(value)} is {@code mark(name, value)}
     * without looking the name up, the cheapest way to mark each unit of work. Make it once (a
     * {@code static final} field), not per mark: while recording, a marker is registered for
     * the life of the JVM (the same instance for the same name), and past
     * {@value Markers#MAX_SLOTS} names markers cost as much as {@link #mark}.
     */
    public static Marker marker(String name) {
        Objects.requireNonNull(name, "name");
        return Recorder.ENABLED ? Recorder.marker(name) : new Marker(name, Marker.NO_SLOT, 0);
    }

    /**
     * As {@link #mark}, but written at once with its own time (after this thread's counted
     * marks): for rare events whose time matters, such as {@code window.start} and
     * {@code window.end}, which declare the part of a run that {@code stmlog scale} measures.
     */
    public static void markTimed(String name, long value) {
        Objects.requireNonNull(name, "name");
        if (Recorder.ENABLED) {
            Recorder.markTimed(name, value);
        }
    }

    /** Whether recording is on (the {@code STM_LOG} environment variable named a writable file). */
    public static boolean isRecording() {
        return Recorder.ENABLED;
    }

    /** Whether the calling thread is running a transaction. */
    public static boolean isInTransaction() {
        return CurrentTxn.get().active;
    }

    /** A snapshot of global event counts (commits, aborts by kind, ...) since JVM start. */
    public static StmStats stats() {
        return Counters.snapshot();
    }
}
