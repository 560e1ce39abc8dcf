package dev.stmlog.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 *   <li>An exception thrown by a task rolls that task back; {@code run()} rethrows it after all
 *       other tasks have finished (the first failure, with later ones added as suppressed).</li>
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
    /** Tasks added and not yet finished (queued or running). */
    private final AtomicLong outstanding = new AtomicLong();
    private final Object quiescence = new Object();
    private final List<Throwable> failures = new ArrayList<>(); // guarded by itself
    private final ReentrantLock runLock = new ReentrantLock();

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
        Worker w = sleeping.poll();
        if (w != null) {
            LockSupport.unpark(w);
        }
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
        } finally {
            running = false;
            runLock.unlock();
        }
        rethrowFailures();
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
            Stm.atomic(task);
        } catch (Throwable t) {
            synchronized (failures) {
                failures.add(t);
            }
        } finally {
            if (outstanding.decrementAndGet() == 0) {
                synchronized (quiescence) {
                    quiescence.notifyAll();
                }
            }
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
                Runnable task = running ? pending.poll() : null;
                if (task != null) {
                    execute(task);
                    idle = 0;
                } else if (running && idle < IDLE_POLLS) {
                    Backoff.spin(idle++); // more tasks may come from running tasks
                } else {
                    sleeping.offer(this);
                    // Re-check after registering: enqueue() offers the task before polling
                    // `sleeping`, so either we see the task or it sees us and unparks us.
                    if (!closed && (!running || pending.isEmpty())) {
                        LockSupport.park(this);
                    }
                    sleeping.remove(this);
                    idle = 0;
                }
            }
        }
    }
}
