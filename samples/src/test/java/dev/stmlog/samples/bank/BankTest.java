package dev.stmlog.samples.bank;

import dev.stmlog.runtime.Stm;
import dev.stmlog.samples.Mode;
import dev.stmlog.samples.Workers;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BankTest {

    @Test
    void totalIsConservedUnderHotSkewWhileAnAuditorWatches() throws Exception {
        int accounts = 50;
        BankSample.Bank bank = new BankSample.Bank(Mode.STM, accounts, 2, 0.8);
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong audits = new AtomicLong();
        AtomicLong wrong = new AtomicLong();
        Thread auditor = new Thread(() -> {
            while (!done.get()) {
                if (bank.total() != accounts * BankSample.INITIAL) wrong.incrementAndGet();
                audits.incrementAndGet();
            }
        });
        auditor.start();
        Workers.Run run = Workers.run(2, 0, 1.0, 3, (t, r) -> bank.transfer(r));
        done.set(true);
        auditor.join();
        assertTrue(run.ops() > 1000, "ops " + run.ops());
        assertTrue(audits.get() > 0);
        assertEquals(0, wrong.get(), "an audit saw money created or destroyed");
        assertEquals(accounts * BankSample.INITIAL, bank.total());
        assertTrue(Stm.stats().commits() > 0);
    }

    @Test
    void totalIsConservedInEveryMode() throws Exception {
        for (Mode mode : Mode.values()) {
            int threads = mode == Mode.SERIAL ? 1 : 2;
            BankSample.Bank bank = new BankSample.Bank(mode, 100, 0, 0);
            Workers.Run run = Workers.run(threads, 0, 0.3, 4, (t, r) -> bank.transfer(r));
            assertTrue(run.ops() > 0);
            assertEquals(100 * BankSample.INITIAL, bank.total(), mode.toString());
        }
    }
}
