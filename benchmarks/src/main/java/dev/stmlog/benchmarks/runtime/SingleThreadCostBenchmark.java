package dev.stmlog.benchmarks.runtime;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What a transaction costs one thread: the same two-account transfer on plain fields and in
 * a stmlog transaction (read-write), and a read-only transaction of the same two values.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SingleThreadCostBenchmark {
    long a = 1_000, b = 1_000;
    final Ref<Long> ra = new Ref<>(1_000L);
    final Ref<Long> rb = new Ref<>(1_000L);

    @Benchmark
    public long plainFields() {
        a -= 1;
        b += 1;
        return a + b;
    }

    @Benchmark
    public void stmlogTransfer() {
        Stm.atomic(() -> {
            ra.set(ra.get() - 1);
            rb.set(rb.get() + 1);
        });
    }

    @Benchmark
    public long stmlogReadOnly() {
        return Stm.atomic(() -> ra.get() + rb.get());
    }
}
