package dev.stmlog.runtime;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs tasks, each as one transaction, on a pool of worker threads.
 *
 * <pre>{@code
 * try (TransactionQueue q = new TransactionQueue()) {
 *     for (Runnable task : tasks) q.add(task);
 *     q.run(); // returns when every task, including tasks added by tasks, has committed
 * }
 * }</pre>
 *
 * <ul>
 *   <li>Tasks only execute during {@link #run()}; the outcome equals some serial execution of
 *       all of them (each is a transaction).</li>
 *   <li>{@link #add} called inside a transaction (typically by a running task) takes effect only
 *       when that transaction commits: an attempt that aborts and re-runs adds nothing twice.
 *       Such tasks run in the same {@code run()}.</li>
 *   <li>A task that calls {@link Stm#retry()} does not hold its worker: it is set aside, and
 *       the worker takes other tasks (one of which may be the task that unblocks it). It runs
 *       again, as a new transaction, once a Ref its attempt read has changed. {@code run()}
 *       waits for it: a task that stays blocked forever keeps {@code run()} from returning.</li>
 *   <li>An exception thrown by a task rolls that task back; {@code run()} rethrows it after all
 *       other tasks have finished (the first failure, with later ones added as suppressed).
 *       Each {@code run()} reports the failures of the tasks that finished during it.</li>
 *   <li>The queue is reusable: {@code run()} can be called again. Workers are daemon threads
 *       named {@code stm-worker-N}, started by the first {@code run()} and parked between runs;
 *       {@link #close()} stops them.</li>
 * </ul>
 * {@code run()} calls are serialized; calling it from inside a transaction or a task of the
 * same queue is an error (it would deadlock).
 */
public final class TransactionQueue implements AutoCloseable {

    private static final AtomicInteger WORKER_NUMBERS = new AtomicInteger();

    /** Idle polls (spin, then yield) before a worker parks. */
    private static final int IDLE_POLLS = 128;

    private final int threads;
    private final ConcurrentLinkedQueue<Runnable> pending = new ConcurrentLinkedQueue<>();
    /** Workers that are parked (or about to park) waiting for tasks. */
    private final ConcurrentLinkedQueue<Worker> sleeping = new ConcurrentLinkedQueue<>();
    /** Tasks that called {@link Stm#retry()}, until a Ref they read changes. */
    private final ConcurrentLinkedQueue<SetAside> setAside = new ConcurrentLinkedQueue<>();
    /** A commit may have changed what a set aside task read: a worker must look. */
    private final AtomicBoolean recheckSetAside = new AtomicBoolean();
    /** Tasks added and not yet finished (queued, running or set aside). */
    private final AtomicLong outstanding = new AtomicLong();
    private final Object quiescence = new Object();
    private final List<Throwable> failures = new ArrayList<>(); // guarded by itself
    private final ReentrantLock runLock = new ReentrantLock();
    /** Tasks set aside, as counted by {@link RetryWaiters}; guarded by its monitor. */
    int setAsideInRetryWaiters;

    private Worker[] workers; // guarded by runLock
    private volatile boolean running;
    private volatile boolean closed;

    /** A queue with {@code STM_THREADS} workers (env), or one per available processor. */
    public TransactionQueue() {
        this(defaultThreads());
    }

    public TransactionQueue(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1: " + threads);
        }
        this.threads = threads;
    }

    static int defaultThreads() {
        String env = System.getenv("STM_THREADS");
        if (env != null) {
            try {
                int n = Integer.parseInt(env.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the processor count
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Number of worker threads. */
    public int threads() {
        return threads;
    }

    /**
     * Adds a task. Inside a transaction the task is added when (and only if) that transaction
     * commits.
     */
    public void add(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (closed) {
            throw new IllegalStateException("queue is closed");
        }
        Txn tx = CurrentTxn.get();
        if (tx.active) {
            tx.defer(this, task);
        } else {
            enqueue(task);
        }
    }

    /** Makes a (committed) task available to the workers. */
    void enqueue(Runnable task) {
        outstanding.incrementAndGet(); // before the parent task finishes: run() keeps waiting
        pending.offer(task);
        wakeOneWorker();
    }

    private void wakeOneWorker() {
        Worker w = sleeping.poll();
        if (w != null) {
            LockSupport.unpark(w);
        }
    }

    /** From {@link RetryWaiters#wakeAll}, after a commit, while tasks of this queue are set aside. */
    void setAsideReadsMayHaveChanged() {
        recheckSetAside.set(true);
        wakeOneWorker(); // after the flag, as enqueue() offers the task first
    }

    /**
     * Runs all tasks, including those added while running, and returns when all have finished.
     * Rethrows the first task failure (others suppressed) once everything has finished.
     */
    public void run() {
        if (Thread.currentThread() instanceof Worker w && w.queue() == this) {
            throw new IllegalStateException("run() called from a task of the same queue");
        }
        if (Stm.isInTransaction()) {
            throw new IllegalStateException("run() called inside a transaction");
        }
        runLock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("queue is closed");
            }
            startWorkers();
            running = true;
            for (Worker w : workers) {
                LockSupport.unpark(w);
            }
            awaitQuiescence();
            // Still under the lock: once it is released, another caller's run() may start and
            // add its own failures, or take ours.
            rethrowFailures();
        } finally {
            running = false;
            runLock.unlock();
        }
    }

    /** Stops the worker threads (after the current run, if any). Tasks not yet run are dropped. */
    @Override
    public void close() {
        if (Thread.currentThread() instanceof Worker w && w.queue() == this) {
            throw new IllegalStateException("close() called from a task of the same queue");
        }
        runLock.lock();
        try {
            closed = true;
            if (workers != null) {
                for (Worker w : workers) {
                    LockSupport.unpark(w);
                }
            }
        } finally {
            runLock.unlock();
        }
    }

    private void startWorkers() {
        if (workers != null) {
            return;
        }
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker("stm-worker-" + WORKER_NUMBERS.incrementAndGet());
            workers[i].start();
        }
    }

    private void awaitQuiescence() {
        boolean interrupted = false;
        synchronized (quiescence) {
            while (outstanding.get() != 0) {
                try {
                    quiescence.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // tasks cannot be abandoned half-way; finish, keep the status
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void rethrowFailures() {
        Throwable first;
        synchronized (failures) {
            if (failures.isEmpty()) {
                return;
            }
            first = failures.get(0);
            for (int i = 1; i < failures.size(); i++) {
                Throwable other = failures.get(i);
                if (other != first) {
                    first.addSuppressed(other);
                }
            }
            failures.clear();
        }
        throw TransactionQueue.<RuntimeException>sneakyThrow(first);
    }

    private void execute(Runnable task) {
        try {
            RetryReads reads = CurrentTxn.get().executeTask(task);
            if (reads != null) {
                setAside(task, reads);
                return; // not finished: still outstanding
            }
        } catch (Throwable t) {
            synchronized (failures) {
                failures.add(t);
            }
        }
        if (outstanding.decrementAndGet() == 0) {
            synchronized (quiescence) {
                quiescence.notifyAll();
            }
        }
    }

    /**
     * Keeps a task that called {@link Stm#retry()} off the workers until a Ref it read changes.
     * Blocking the worker instead (as {@code Stm.atomic} blocks a thread) starved the queue:
     * with as many waiting tasks as workers queued ahead of the task that would unblock them,
     * that task never ran and {@code run()} never returned.
     */
    private void setAside(Runnable task, RetryReads reads) {
        SetAside s = new SetAside(task, reads);
        setAside.offer(s);
        RetryWaiters.setAside(this);
        // Registered before reading the clock, so that a commit we do not see here finds the
        // registration and calls setAsideReadsMayHaveChanged() (see RetryWaiters). Clock
        // unchanged: nothing can have been published since the attempt's snapshot.
        if (GlobalClock.time() != reads.readVersion && reads.changed() && s.claim()) {
            setAside.remove(s);
            resume(s);
        }
    }

    /** Re-queues the set aside tasks whose Refs have changed. */
    private void resumeChanged() {
        for (Iterator<SetAside> it = setAside.iterator(); it.hasNext();) {
            SetAside s = it.next();
            if (s.reads.changed() && s.claim()) {
                it.remove();
                resume(s);
            }
        }
    }

    private void resume(SetAside s) {
        RetryWaiters.resumed(this);
        pending.offer(s.task); // still counted in `outstanding`
        wakeOneWorker();
    }

    /** A task set aside in a retry; claimed by whoever first sees that its Refs changed. */
    private static final class SetAside extends AtomicBoolean {

        private static final long serialVersionUID = 1L;

        final Runnable task;
        final RetryReads reads;

        SetAside(Runnable task, RetryReads reads) {
            this.task = task;
            this.reads = reads;
        }

        boolean claim() {
            return compareAndSet(false, true);
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneakyThrow(Throwable t) throws E {
        throw (E) t;
    }

    /** A worker: polls tasks while a run is in progress, parks otherwise. */
    private final class Worker extends Thread {

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        TransactionQueue queue() {
            return TransactionQueue.this;
        }

        @Override
        public void run() {
            int idle = 0;
            while (!closed) {
                if (recheckSetAside.get() && recheckSetAside.getAndSet(false)) {
                    resumeChanged();
                }
                Runnable task = running ? pending.poll() : null;
                if (task != null) {
                    // A task may leave the interrupt status set (restoring it after catching
                    // InterruptedException is the idiom): clear it, as executors do, so that it
                    // does not reach the next task (whose retry() would throw at once).
                    Thread.interrupted();
                    execute(task);
                    idle = 0;
                } else if (running && idle < IDLE_POLLS) {
                    Backoff.spin(idle++); // more tasks may come from running tasks
                } else {
                    // With the status set park() returns at once: left by a task, it made an
                    // idle worker spin (981 ms of CPU per idle second). Nobody else interrupts
                    // workers (close() unparks them).
                    Thread.interrupted();
                    sleeping.offer(this);
                    // Re-check after registering: enqueue() and setAsideReadsMayHaveChanged()
                    // publish their work before polling `sleeping`, so either we see it or they
                    // see us and unpark us.
                    if (!closed && (!running || (pending.isEmpty() && !recheckSetAside.get()))) {
                        LockSupport.park(this);
                    }
                    sleeping.remove(this);
                    idle = 0;
                }
            }
        }
    }
}
