package dev.stmlog.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.SwitchPoint;
import java.util.ArrayList;

/**
 * Per-thread event counters behind {@link Stm#stats()}. Each is written only by its own thread
 * with plain increments (no shared counter on the hot path); a snapshot sums them all and is
 * exact once the counting threads have finished (e.g. after {@code join}), approximate while
 * they run.
 *
 * <p>The registry holds the counters of live threads only. The counters of a thread found dead
 * are folded into {@link #dead} and dropped, by every {@link #snapshot()} and by a registration
 * once the registry has doubled since the last pruning (amortized: a registration is one scan
 * of the registry per as many registrations). Keeping every thread's counters made 20,000
 * short-lived threads leave 20,000 entries, and {@code Stm.stats()} then took 830 µs. Folding
 * keeps the sum exact: {@code isAlive()} returning false happens-after the thread's last
 * increment (JLS 17.4.4), as {@code join} does.
 */
final class Counters extends CacheLinePadded {

    /** Prune at registration only past this many entries (a few live threads never scan). */
    private static final int MIN_PRUNE_SIZE = 64;

    private static final Object LOCK = new Object();
    private static final ArrayList<Counters> LIVE = new ArrayList<>();
    /** The counts of the threads pruned from {@link #LIVE}. */
    private static final Counters dead = new Counters(null, null);
    /** Registry size at which a registration prunes: twice what was left by the last pruning. */
    private static int pruneAt = MIN_PRUNE_SIZE;

    /**
     * Switched, once, when a second thread registers: from then on {@link #severalThreads()}
     * is true. Until then no transaction can have had a conflict, so the commit path keeps no
     * hints for naming the other side of one ({@link Ref#lockerThreadId}).
     */
    private static final SwitchPoint ONE_THREAD = new SwitchPoint();
    private static final MethodHandle SEVERAL_THREADS = ONE_THREAD.guardWithTest(
            MethodHandles.constant(boolean.class, false), MethodHandles.constant(boolean.class, true));
    /** Registrations so far (up to 2). Guarded by {@link #LOCK}. */
    private static int registrations;

    long commits;
    long readOnlyCommits;
    long writeWriteAborts;
    long writeReadAborts;
    long inevitableAborts;
    long retries;
    long rollbacks;
    long inevitables;

    /** The counting thread and its Txn, which {@link CurrentTxn} forgets once the thread is found dead. */
    private final Thread thread;
    private final Txn txn;

    private Counters(Thread thread, Txn txn) {
        this.thread = thread;
        this.txn = txn;
    }

    /** The counters of {@code txn}, the calling thread's. */
    static Counters register(Txn txn) {
        Counters c = new Counters(Thread.currentThread(), txn);
        synchronized (LOCK) {
            if (LIVE.size() >= pruneAt) {
                pruneDead();
            }
            LIVE.add(c);
            if (registrations < 2 && ++registrations == 2) {
                SwitchPoint.invalidateAll(new SwitchPoint[] {ONE_THREAD});
            }
        }
        return c;
    }

    /**
     * Whether more than one thread has used the STM (has had a {@link Txn}): a constant the JIT
     * compiles in, false until the second thread's first transaction (or Ref access).
     */
    static boolean severalThreads() {
        try {
            return (boolean) SEVERAL_THREADS.invokeExact();
        } catch (Throwable e) {
            throw new AssertionError(e); // a constant cannot fail
        }
    }

    void countConflict(Recorder.ConflictKind kind) {
        switch (kind) {
            case WRITE_WRITE -> writeWriteAborts++;
            case WRITE_READ -> writeReadAborts++;
            case INEVITABLE -> inevitableAborts++;
        }
    }

    static StmStats snapshot() {
        Counters sum = new Counters(null, null);
        synchronized (LOCK) {
            pruneDead();
            sum.add(dead);
            for (Counters c : LIVE) {
                sum.add(c);
            }
        }
        return new StmStats(sum.commits, sum.readOnlyCommits, sum.writeWriteAborts, sum.writeReadAborts,
                sum.inevitableAborts, sum.retries, sum.rollbacks, sum.inevitables);
    }

    /** Number of registered (not yet pruned) counters, for tests. */
    static int registered() {
        synchronized (LOCK) {
            return LIVE.size();
        }
    }

    /**
     * Folds the counters of dead threads into {@link #dead} and drops them, and their Txns from
     * {@link CurrentTxn}'s cache. Holds {@link #LOCK}.
     */
    private static void pruneDead() {
        int kept = 0;
        for (int i = 0, n = LIVE.size(); i < n; i++) {
            Counters c = LIVE.get(i);
            if (c.thread.isAlive()) {
                LIVE.set(kept++, c);
            } else {
                dead.add(c);
                CurrentTxn.forget(c.txn);
            }
        }
        LIVE.subList(kept, LIVE.size()).clear();
        pruneAt = Math.max(MIN_PRUNE_SIZE, 2 * kept);
    }

    private void add(Counters c) {
        commits += c.commits;
        readOnlyCommits += c.readOnlyCommits;
        writeWriteAborts += c.writeWriteAborts;
        writeReadAborts += c.writeReadAborts;
        inevitableAborts += c.inevitableAborts;
        retries += c.retries;
        rollbacks += c.rollbacks;
        inevitables += c.inevitables;
    }
}
