package dev.stmlog.benchmarks.runtime;

import dev.stmlog.runtime.Marker;
import dev.stmlog.runtime.Stm;

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

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Transfers between 1,000 accounts (see {@link Bank} for the implementations): {@code uniform} picks both accounts at random (few
 * conflicts); {@code hot} sends half of all picks to 4 hot accounts (many conflicts).
 * Run with {@code -t 1} and {@code -t 2} ({@code plain}, fields without any synchronization,
 * and {@code floor}, stmlog's algorithm without its runtime ({@link Tl2Floor}), only with
 * {@code -t 1}). The total is checked after each trial.
 * {@code transferAndMark} also marks each transfer through a {@link Marker}, as the samples mark
 * each operation (the recommended way), {@code transferAndMarkByName} through
 * {@code Stm.mark("transfer", 1)}, {@code transferMarkedByTransaction} with the transaction
 * ({@code Stm.atomic(marker, body)} in stmlog; a marker's mark after it in the others): what a mark costs when recording
 * ({@code benchmarks/recording-overhead.sh}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class BankBenchmark {
    static final int ACCOUNTS = 1_000;
    static final int HOT = 4;
    static final long INITIAL = 1_000_000;
    static final Marker TRANSFERS = Stm.marker("transfer");

    @Param({"stmlog", "stmlog-tx", "stmlog-long", "scalastm", "lock", "plain", "floor"})
    public String impl;

    @Param({"uniform", "hot"})
    public String skew;

    Bank bank;
    boolean hot;

    @Setup
    public void setUp(BenchmarkParams params) {
        if ((impl.equals("plain") || impl.equals("floor")) && params.getThreads() > 1) {
            throw new IllegalStateException("impl=" + impl + " is for one thread: run it with -t 1 only");
        }
        bank = Bank.create(impl, ACCOUNTS, INITIAL);
        hot = skew.equals("hot");
    }

    @TearDown
    public void checkTotal() {
        if (bank.total() != ACCOUNTS * INITIAL) throw new IllegalStateException(impl + " lost money");
    }

    @State(Scope.Thread)
    public static class Picker {
        final SplittableRandom random = new SplittableRandom();

        int pick(boolean hot) {
            return hot && random.nextBoolean() ? random.nextInt(HOT) : random.nextInt(ACCOUNTS);
        }
    }

    @Benchmark
    public void transfer(Picker p) {
        int from = p.pick(hot);
        int to = p.pick(hot);
        if (from == to) to = (to + 1) % ACCOUNTS;
        bank.transfer(from, to, 1 + p.random.nextInt(100));
    }

    @Benchmark
    public void transferAndMark(Picker p) {
        transfer(p);
        TRANSFERS.mark(1);
    }

    @Benchmark
    public void transferMarkedByTransaction(Picker p) {
        int from = p.pick(hot);
        int to = p.pick(hot);
        if (from == to) to = (to + 1) % ACCOUNTS;
        bank.transfer(from, to, 1 + p.random.nextInt(100), TRANSFERS);
    }

    @Benchmark
    public void transferAndMarkByName(Picker p) {
        transfer(p);
        Stm.mark("transfer", 1);
    }
}
