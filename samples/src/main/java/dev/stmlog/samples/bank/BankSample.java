package dev.stmlog.samples.bank;

import dev.stmlog.samples.Mode;
import dev.stmlog.samples.Options;
import dev.stmlog.samples.Result;
import dev.stmlog.samples.Sample;
import dev.stmlog.samples.Shared;
import dev.stmlog.samples.Workers;

import java.io.PrintStream;
import java.util.List;
import java.util.SplittableRandom;

/**
 * <b>bank</b>: the "hello world" of transactional memory. Money moves between accounts; the
 * total never changes. Each transfer reads two balances and writes both, so two transfers
 * conflict only when they share an account: with many accounts and uniform choice, conflicts
 * are rare and STM scales; make a few accounts hot ({@code --hot 2 --hot-share 0.5}) and the
 * log shows them as the top contended Refs ({@code account[0]}, {@code account[1]}).
 */
public final class BankSample implements Sample {

    /** Every account starts with this much; the total is {@code accounts * INITIAL}. */
    public static final long INITIAL = 1_000;

    @Override
    public String name() {
        return "bank";
    }

    @Override
    public String summary() {
        return "transfers between accounts, optional hot-account skew; the total is conserved";
    }

    @Override
    public List<Opt> options() {
        return List.of(
                new Opt("accounts", "N", "number of accounts (default 1000)"),
                new Opt("hot", "N", "number of hot accounts (the first N; default 0)"),
                new Opt("hot-share", "P", "probability that each side of a transfer is a hot account (default 0.0)"));
    }

    /** The bank: one shared cell per account, transactional in stm mode. */
    public static final class Bank {
        final Mode.Tx tx; // Stm::atomic, or no-op, or the global lock
        final Shared.Cells<Long> accounts;
        final int hot;
        final double hotShare;

        public Bank(Mode mode, int accounts, int hot, double hotShare) {
            this.tx = mode.tx();
            // Labelled: a contended account is reported as account[i].
            this.accounts = Shared.cells(mode, accounts, INITIAL, "account");
            this.hot = hot;
            this.hotShare = hotShare;
        }

        /** Chooses an account: a hot one with probability hotShare, else any. */
        int pick(SplittableRandom r) {
            if (hot > 0 && r.nextDouble() < hotShare) {
                return r.nextInt(hot);
            }
            return r.nextInt(accounts.length());
        }

        /** One operation: a transfer between two distinct accounts (skipped if funds are short). */
        public void transfer(SplittableRandom r) {
            int from = pick(r);
            int to = pick(r);
            while (to == from) {
                to = r.nextInt(accounts.length());
            }
            long amount = 1 + r.nextInt(100);
            int f = from, t = to;
            // The random choices are made before the transaction: a re-run then retries the
            // same transfer instead of drawing new numbers.
            tx.atomic(() -> {
                long a = accounts.read().at(f);
                if (a < amount) return false;
                accounts.write().put(f, a - amount);
                accounts.write().put(t, accounts.read().at(t) + amount);
                return true;
            });
        }

        /** The sum of all balances, read as one consistent snapshot. */
        public long total() {
            return tx.atomic(() -> {
                long sum = 0;
                for (int i = 0; i < accounts.length(); i++) sum += accounts.read().at(i);
                return sum;
            });
        }

        public int size() {
            return accounts.length();
        }
    }

    @Override
    public Result run(Options o, PrintStream out) throws Exception {
        int n = o.intValue("accounts", 1000, 2, 10_000_000);
        int hot = o.intValue("hot", 0, 0, n);
        double share = o.doubleValue("hot-share", 0.0, 0.0, 1.0);
        Bank bank = new Bank(o.mode(), n, hot, share);
        Workers.Run run = Workers.run(o.threads(), o.warmup(), o.duration(), o.seed(), (t, r) -> bank.transfer(r));
        long total = bank.total();
        long expected = (long) n * INITIAL;
        out.println("bank: accounts=" + n + " total=" + total + (total == expected ? " (conserved)" : " (EXPECTED " + expected + ")"));
        if (total != expected) {
            throw new IllegalStateException("money was created or destroyed: total " + total + " != " + expected);
        }
        return new Result(name(), o.mode(), o.threads(), run.ops(), run.seconds());
    }
}
