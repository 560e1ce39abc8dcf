package dev.stmlog.runtime;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** A finished thread's {@link Txn} (and its read and write arrays) can be collected. */
class CurrentTxnTest {

    /** Runs a transaction on a new thread, joins it, and returns a weak reference to its Txn. */
    private static WeakReference<Txn> txnOfFinishedThread() throws InterruptedException {
        AtomicReference<WeakReference<Txn>> txn = new AtomicReference<>();
        Ref<Integer> r = new Ref<>(0, "r");
        Thread t = new Thread(() -> {
            Stm.atomic(() -> r.update(v -> v + 1));
            txn.set(new WeakReference<>(CurrentTxn.get()));
        }, "finished");
        t.start();
        t.join();
        return txn.get();
    }

    /** Whether {@code ref} is cleared by GC, collecting until it is (a bounded wait). */
    private static boolean collected(WeakReference<?> ref) {
        TestSupport.awaitCondition(() -> {
            System.gc();
            return ref.get() == null;
        }, () -> "the finished thread's Txn to be collected");
        return true;
    }

    @Test
    void aFinishedThreadsTxnIsCollectedAfterStats() throws InterruptedException {
        WeakReference<Txn> txn = txnOfFinishedThread();
        Stm.stats();
        assertTrue(collected(txn), "the finished thread's Txn is still reachable");
    }

    @Test
    void aFinishedThreadsTxnIsCollectedAfterLaterThreadsRegister() throws InterruptedException {
        WeakReference<Txn> txn = txnOfFinishedThread();
        // Enough registrations to trigger a pruning (at most twice the live threads, or 64).
        int n = 2 * Thread.getAllStackTraces().size() + 65;
        for (int i = 0; i < n; i++) {
            Thread t = new Thread(() -> Stm.atomic(() -> { }), "later-" + i);
            t.start();
            t.join();
        }
        assertTrue(collected(txn), "the finished thread's Txn is still reachable");
    }
}
