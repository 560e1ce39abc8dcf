package dev.stmlog.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Random transfers must conserve the total, seen both at the end and by concurrent auditors. */
@Timeout(120)
class BankTest {

    private static final int ACCOUNTS = 64;
    private static final int INITIAL = 1_000;
    private static final int THREADS = 4;

    @Test
    void uniformTransfersConserveTheTotal() throws InterruptedException {
        runBank(1_000_000 / THREADS, false);
    }

    @Test
    void transfersBetweenTwoHotAccountsConserveTheTotal() throws InterruptedException {
        runBank(200_000 / THREADS, true);
    }

    private void runBank(int transfersPerThread, boolean hot) throws InterruptedException {
        @SuppressWarnings("unchecked")
        Ref<Integer>[] accounts = (Ref<Integer>[]) new Ref<?>[ACCOUNTS];
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts[i] = new Ref<>(INITIAL, "account" + i);
        }
        int total = ACCOUNTS * INITIAL;
        StmStats before = Stm.stats();

        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> auditFailure = new AtomicReference<>();
        int[] audits = new int[1];
        Thread auditor = new Thread(() -> {
            while (!done.get()) {
                int sum = Stm.atomic(() -> {
                    int s = 0;
                    for (Ref<Integer> a : accounts) {
                        s += a.get();
                    }
                    return s;
                });
                if (sum != total) {
                    auditFailure.compareAndSet(null, "auditor saw total " + sum);
                }
                audits[0]++;
            }
        });
        auditor.start();

        TestSupport.runThreads(THREADS, id -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int n = 0; n < transfersPerThread; n++) {
                int from;
                int to;
                if (hot && rnd.nextInt(10) < 9) {
                    from = rnd.nextInt(2);
                    to = 1 - from;
                } else {
                    from = rnd.nextInt(ACCOUNTS);
                    to = (from + 1 + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
                }
                int amount = 1 + rnd.nextInt(50);
                Ref<Integer> a = accounts[from];
                Ref<Integer> b = accounts[to];
                Stm.atomic(() -> {
                    int balance = a.get();
                    if (balance >= amount) {
                        a.set(balance - amount);
                        b.set(b.get() + amount);
                    }
                });
            }
        });
        done.set(true);
        auditor.join();

        assertNull(auditFailure.get());
        int sum = 0;
        for (Ref<Integer> a : accounts) {
            assertTrue(a.get() >= 0, "no account may go negative");
            sum += a.get();
        }
        assertEquals(total, sum);
        StmStats delta = Stm.stats().minus(before);
        assertTrue(delta.commits() >= (long) THREADS * transfersPerThread, "every transfer committed: " + delta);
        assertTrue(audits[0] > 0);
    }
}
