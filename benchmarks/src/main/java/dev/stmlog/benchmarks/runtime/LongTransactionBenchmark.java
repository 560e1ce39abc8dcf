package dev.stmlog.benchmarks.runtime;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;
import dev.stmlog.runtime.TLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import scala.concurrent.stm.japi.STM;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A long transaction: {@value #READS} reads of random Refs out of {@value #REFS}, then 2 writes
 * (the first two Refs read give {@code amount} from one to the other, so the total is kept and
 * checked after each trial). The Refs are picked before the transaction, the same way for every
 * implementation, so that a re-run reads the same Refs. What a read costs against a plain
 * field ({@code plain}: a {@code long[]}, no synchronization, {@code -t 1} only), a global lock,
 * and ScalaSTM; {@code stmlog} finds its transaction per access ({@code Stm.atomic},
 * {@code ref.get()}), {@code stmlog-tx} is handed it ({@code Stm.call}, {@code ref.get(tx)}),
 * {@code stmlog-long} is that on unboxed {@link TLong}s ({@code getLong(tx)}, {@code setLong(tx, v)}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class LongTransactionBenchmark {
    static final int REFS = 1_000;
    static final int READS = 64;
    static final long INITIAL = 1_000_000;

    @Param({"stmlog", "stmlog-tx", "stmlog-long", "scalastm", "lock", "plain"})
    public String impl;

    Accounts accounts;

    @Setup
    public void setUp(BenchmarkParams params) {
        if (impl.equals("plain") && params.getThreads() > 1) {
            throw new IllegalStateException("impl=plain has no synchronization: run it with -t 1 only");
        }
        accounts = Accounts.create(impl);
    }

    @TearDown
    public void checkTotal() {
        if (accounts.total() != REFS * INITIAL) throw new IllegalStateException(impl + " lost money");
    }

    /** The Refs one transaction reads: {@value #READS} random ones, the first two distinct. */
    @State(Scope.Thread)
    public static class Picks {
        final SplittableRandom random = new SplittableRandom();
        final int[] refs = new int[READS];

        int[] next() {
            int[] p = refs;
            for (int i = 0; i < p.length; i++) p[i] = random.nextInt(REFS);
            if (p[1] == p[0]) p[1] = (p[0] + 1) % REFS;
            return p;
        }
    }

    @Benchmark
    public long transaction(Picks p) {
        int[] picked = p.next();
        return accounts.transaction(picked, 1 + (picked[2] & 63));
    }

    /** {@value #REFS} accounts: read those picked, sum them, move {@code amount} from the first to the second. */
    interface Accounts {
        long transaction(int[] picked, long amount);

        long total();

        static Accounts create(String impl) {
            return switch (impl) {
                case "stmlog" -> new Stmlog();
                case "stmlog-tx" -> new StmlogTx();
                case "stmlog-long" -> new StmlogLong();
                case "scalastm" -> new ScalaStm();
                case "lock" -> new Locked();
                case "plain" -> new Plain();
                default -> throw new IllegalArgumentException(impl);
            };
        }
    }

    static final class Stmlog implements Accounts {
        @SuppressWarnings("unchecked")
        final Ref<Long>[] refs = new Ref[REFS];

        Stmlog() {
            for (int i = 0; i < REFS; i++) refs[i] = new Ref<>(INITIAL);
        }

        @Override
        public long transaction(int[] picked, long amount) {
            return Stm.atomic(() -> {
                Ref<Long> a = refs[picked[0]], b = refs[picked[1]];
                long va = a.get(), vb = b.get(), sum = va + vb;
                for (int i = 2; i < picked.length; i++) sum += refs[picked[i]].get();
                a.set(va - amount);
                b.set(vb + amount);
                return sum;
            });
        }

        @Override
        public long total() {
            return Stm.atomic(() -> {
                long sum = 0;
                for (Ref<Long> r : refs) sum += r.get();
                return sum;
            });
        }
    }

    /** Stmlog with the transaction passed: needs this build's runtime (not the baseline's). */
    static final class StmlogTx implements Accounts {
        @SuppressWarnings("unchecked")
        final Ref<Long>[] refs = new Ref[REFS];

        StmlogTx() {
            for (int i = 0; i < REFS; i++) refs[i] = new Ref<>(INITIAL);
        }

        @Override
        public long transaction(int[] picked, long amount) {
            return Stm.call(tx -> {
                Ref<Long> a = refs[picked[0]], b = refs[picked[1]];
                long va = a.get(tx), vb = b.get(tx), sum = va + vb;
                for (int i = 2; i < picked.length; i++) sum += refs[picked[i]].get(tx);
                a.set(tx, va - amount);
                b.set(tx, vb + amount);
                return sum;
            });
        }

        @Override
        public long total() {
            return Stm.call(tx -> {
                long sum = 0;
                for (Ref<Long> r : refs) sum += r.get(tx);
                return sum;
            });
        }
    }

    /** StmlogTx on TLongs: needs this build's runtime (not the baseline's). */
    static final class StmlogLong implements Accounts {
        final TLong[] refs = new TLong[REFS];

        StmlogLong() {
            for (int i = 0; i < REFS; i++) refs[i] = new TLong(INITIAL);
        }

        @Override
        public long transaction(int[] picked, long amount) {
            return Stm.call(tx -> {
                TLong a = refs[picked[0]], b = refs[picked[1]];
                long va = a.getLong(tx), vb = b.getLong(tx), sum = va + vb;
                for (int i = 2; i < picked.length; i++) sum += refs[picked[i]].getLong(tx);
                a.setLong(tx, va - amount);
                b.setLong(tx, vb + amount);
                return sum;
            });
        }

        @Override
        public long total() {
            return Stm.call(tx -> {
                long sum = 0;
                for (TLong r : refs) sum += r.getLong(tx);
                return sum;
            });
        }
    }

    static final class ScalaStm implements Accounts {
        @SuppressWarnings("unchecked")
        final scala.concurrent.stm.Ref.View<Long>[] refs = new scala.concurrent.stm.Ref.View[REFS];

        ScalaStm() {
            for (int i = 0; i < REFS; i++) refs[i] = STM.newRef(INITIAL);
        }

        @Override
        public long transaction(int[] picked, long amount) {
            return STM.atomic(() -> {
                scala.concurrent.stm.Ref.View<Long> a = refs[picked[0]], b = refs[picked[1]];
                long va = a.get(), vb = b.get(), sum = va + vb;
                for (int i = 2; i < picked.length; i++) sum += refs[picked[i]].get();
                a.set(va - amount);
                b.set(vb + amount);
                return sum;
            });
        }

        @Override
        public long total() {
            return STM.atomic(() -> {
                long sum = 0;
                for (scala.concurrent.stm.Ref.View<Long> r : refs) sum += r.get();
                return sum;
            });
        }
    }

    static final class Locked implements Accounts {
        final long[] values = new long[REFS];

        Locked() {
            Arrays.fill(values, INITIAL);
        }

        @Override
        public synchronized long transaction(int[] picked, long amount) {
            return Plain.transaction(values, picked, amount);
        }

        @Override
        public synchronized long total() {
            return Arrays.stream(values).sum();
        }
    }

    /** No synchronization: for one thread only. */
    static final class Plain implements Accounts {
        final long[] values = new long[REFS];

        Plain() {
            Arrays.fill(values, INITIAL);
        }

        static long transaction(long[] values, int[] picked, long amount) {
            int a = picked[0], b = picked[1];
            long va = values[a], vb = values[b], sum = va + vb;
            for (int i = 2; i < picked.length; i++) sum += values[picked[i]];
            values[a] = va - amount;
            values[b] = vb + amount;
            return sum;
        }

        @Override
        public long transaction(int[] picked, long amount) {
            return transaction(values, picked, amount);
        }

        @Override
        public long total() {
            return Arrays.stream(values).sum();
        }
    }
}
