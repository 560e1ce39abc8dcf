package dev.stmlog.benchmarks.runtime;

import dev.stmlog.runtime.Marker;
import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;
import dev.stmlog.runtime.TLong;
import scala.concurrent.stm.japi.STM;

/**
 * The same bank seven ways: stmlog (as most code is written: {@code Stm.atomic} and
 * {@code ref.get()} on {@code Ref<Long>}s), stmlog-tx (the transaction handed to the body:
 * {@code Stm.run} and {@code ref.get(tx)}), stmlog-long (that, on unboxed {@link TLong}s:
 * {@code getLong(tx)}, {@code setLong(tx, v)}), ScalaSTM, one global lock, plain fields (no
 * synchronization at all: one thread only, the cost of the work itself), and {@link Tl2Floor}
 * (stmlog's algorithm without its runtime: one thread only).
 */
interface Bank {
    void transfer(int from, int to, long amount);

    /**
     * {@link #transfer} and a mark of {@code mark}: made by the transaction in stmlog
     * ({@code Stm.atomic(mark, body)}), after it elsewhere.
     */
    default void transfer(int from, int to, long amount, Marker mark) {
        transfer(from, to, amount);
        mark.mark(1);
    }

    long total();

    static Bank create(String impl, int accounts, long initial) {
        return switch (impl) {
            case "stmlog" -> new StmlogBank(accounts, initial);
            case "stmlog-tx" -> new StmlogTxBank(accounts, initial);
            case "stmlog-long" -> new StmlogLongBank(accounts, initial);
            case "scalastm" -> new ScalaStmBank(accounts, initial);
            case "lock" -> new LockBank(accounts, initial);
            case "plain" -> new PlainBank(accounts, initial);
            case "floor" -> new Tl2Floor(accounts, initial);
            default -> throw new IllegalArgumentException(impl);
        };
    }

    final class StmlogBank implements Bank {
        private final Ref<Long>[] accounts;

        @SuppressWarnings("unchecked")
        StmlogBank(int n, long initial) {
            accounts = new Ref[n];
            for (int i = 0; i < n; i++) accounts[i] = new Ref<>(initial);
        }

        @Override
        public void transfer(int from, int to, long amount) {
            Ref<Long> a = accounts[from];
            Ref<Long> b = accounts[to];
            Stm.atomic(() -> {
                a.set(a.get() - amount);
                b.set(b.get() + amount);
            });
        }

        @Override
        public void transfer(int from, int to, long amount, Marker mark) {
            Ref<Long> a = accounts[from];
            Ref<Long> b = accounts[to];
            Stm.atomic(mark, () -> {
                a.set(a.get() - amount);
                b.set(b.get() + amount);
            });
        }

        @Override
        public long total() {
            return Stm.atomic(() -> {
                long sum = 0;
                for (Ref<Long> r : accounts) sum += r.get();
                return sum;
            });
        }
    }

    /** StmlogBank with the transaction passed: needs this build's runtime (not the baseline's). */
    final class StmlogTxBank implements Bank {
        private final Ref<Long>[] accounts;

        @SuppressWarnings("unchecked")
        StmlogTxBank(int n, long initial) {
            accounts = new Ref[n];
            for (int i = 0; i < n; i++) accounts[i] = new Ref<>(initial);
        }

        @Override
        public void transfer(int from, int to, long amount) {
            Ref<Long> a = accounts[from];
            Ref<Long> b = accounts[to];
            Stm.run(tx -> {
                a.set(tx, a.get(tx) - amount);
                b.set(tx, b.get(tx) + amount);
            });
        }

        @Override
        public long total() {
            return Stm.call(tx -> {
                long sum = 0;
                for (Ref<Long> r : accounts) sum += r.get(tx);
                return sum;
            });
        }
    }

    /** StmlogTxBank on TLongs: needs this build's runtime (not the baseline's). */
    final class StmlogLongBank implements Bank {
        private final TLong[] accounts;

        StmlogLongBank(int n, long initial) {
            accounts = new TLong[n];
            for (int i = 0; i < n; i++) accounts[i] = new TLong(initial);
        }

        @Override
        public void transfer(int from, int to, long amount) {
            TLong a = accounts[from];
            TLong b = accounts[to];
            Stm.run(tx -> {
                a.setLong(tx, a.getLong(tx) - amount);
                b.setLong(tx, b.getLong(tx) + amount);
            });
        }

        @Override
        public long total() {
            return Stm.call(tx -> {
                long sum = 0;
                for (TLong r : accounts) sum += r.getLong(tx);
                return sum;
            });
        }
    }

    final class ScalaStmBank implements Bank {
        private final scala.concurrent.stm.Ref.View<Long>[] accounts;

        @SuppressWarnings("unchecked")
        ScalaStmBank(int n, long initial) {
            accounts = new scala.concurrent.stm.Ref.View[n];
            for (int i = 0; i < n; i++) accounts[i] = STM.newRef(initial);
        }

        @Override
        public void transfer(int from, int to, long amount) {
            scala.concurrent.stm.Ref.View<Long> a = accounts[from];
            scala.concurrent.stm.Ref.View<Long> b = accounts[to];
            STM.atomic(() -> {
                a.set(a.get() - amount);
                b.set(b.get() + amount);
            });
        }

        @Override
        public long total() {
            return STM.atomic(() -> {
                long sum = 0;
                for (scala.concurrent.stm.Ref.View<Long> r : accounts) sum += r.get();
                return sum;
            });
        }
    }

    final class LockBank implements Bank {
        private final long[] accounts;

        LockBank(int n, long initial) {
            accounts = new long[n];
            java.util.Arrays.fill(accounts, initial);
        }

        @Override
        public synchronized void transfer(int from, int to, long amount) {
            accounts[from] -= amount;
            accounts[to] += amount;
        }

        @Override
        public synchronized long total() {
            long sum = 0;
            for (long a : accounts) sum += a;
            return sum;
        }
    }

    /** No synchronization: for one thread only. */
    final class PlainBank implements Bank {
        private final long[] accounts;

        PlainBank(int n, long initial) {
            accounts = new long[n];
            java.util.Arrays.fill(accounts, initial);
        }

        @Override
        public void transfer(int from, int to, long amount) {
            accounts[from] -= amount;
            accounts[to] += amount;
        }

        @Override
        public long total() {
            long sum = 0;
            for (long a : accounts) sum += a;
            return sum;
        }
    }
}
