package dev.stmlog.runtime;

/**
 * Finds the calling thread's (reused) {@link Txn}.
 *
 * <p>Ref operations have no transaction parameter, so every operation must find it. A
 * ThreadLocal lookup per operation would be the main fixed cost, so a direct-mapped cache
 * indexed by thread id comes first: one array load and one compare. A miss (first use on a
 * thread, or two live threads whose ids collide) falls back to the ThreadLocal and refills the
 * slot. The cache only ever holds fully constructed Txns whose {@code thread} field is final,
 * so a racy read of another thread's entry is detected by the compare and is harmless.
 *
 * <p>A slot kept the Txn of its last thread, with its read and write arrays, until a thread with
 * a colliding id took it: up to 1,024 finished threads' Txns stayed reachable. The lookup cannot
 * tell a dead thread's entry without a cost per access, so {@link Counters}, which finds dead
 * threads when it folds their counts (at {@code Stm.stats()}, and at a registration once its
 * registry has doubled), clears their slots through {@link #forget}: at most as many finished
 * threads' Txns as there are live threads (or 64) stay cached between two prunings.
 */
final class CurrentTxn {

    private static final int CACHE_SIZE = 1024; // power of two
    private static final Txn[] CACHE = new Txn[CACHE_SIZE];
    private static final ThreadLocal<Txn> LOCAL = ThreadLocal.withInitial(Txn::new);

    private CurrentTxn() {
    }

    static Txn get() {
        Thread t = Thread.currentThread();
        Txn tx = CACHE[(int) t.getId() & (CACHE_SIZE - 1)];
        if (tx != null && tx.thread == t) {
            return tx;
        }
        return miss(t);
    }

    /**
     * Drops {@code tx}, whose thread has ended, from the cache. A live thread that refills the
     * slot at the same moment may see its entry cleared too: it then misses once and refills it.
     */
    static void forget(Txn tx) {
        int slot = (int) tx.threadId & (CACHE_SIZE - 1);
        if (CACHE[slot] == tx) {
            CACHE[slot] = null;
        }
    }

    private static Txn miss(Thread t) {
        Txn tx = LOCAL.get();
        CACHE[(int) t.getId() & (CACHE_SIZE - 1)] = tx;
        return tx;
    }
}
