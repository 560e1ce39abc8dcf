package dev.stmlog.benchmarks.runtime;

import dev.stmlog.runtime.Stm;
import dev.stmlog.runtime.TMap;
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
import org.openjdk.jmh.annotations.Warmup;
import scala.concurrent.stm.japi.STM;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * A read-mostly map of 10,000 keys: 99% of operations are transactions reading 4 random keys,
 * 1% write one. Per-key conflicts (stmlog's TMap, ScalaSTM's TMap) against one lock around a
 * HashMap. Run with {@code -t 1} and {@code -t 2}. {@code stmlog-tx} hands the transaction to
 * the body ({@code Stm.call}, {@code tmap.get(tx, k)}); it needs this build's runtime.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ReadMostlyMapBenchmark {
    static final int KEYS = 10_000;

    @Param({"stmlog", "stmlog-tx", "scalastm", "lock"})
    public String impl;

    TMap<Integer, Integer> tmap;
    Map<Integer, Integer> scalaMap;
    Map<Integer, Integer> lockedMap;

    @Setup
    public void setUp() {
        switch (impl) {
            case "stmlog", "stmlog-tx" -> {
                tmap = new TMap<>();
                Stm.atomic(() -> {
                    for (int i = 0; i < KEYS; i++) tmap.put(i, i);
                });
            }
            case "scalastm" -> {
                scalaMap = STM.newMap();
                for (int i = 0; i < KEYS; i++) scalaMap.put(i, i);
            }
            default -> {
                lockedMap = new HashMap<>();
                for (int i = 0; i < KEYS; i++) lockedMap.put(i, i);
            }
        }
    }

    @State(Scope.Thread)
    public static class Keys {
        final SplittableRandom random = new SplittableRandom();
    }

    @Benchmark
    public int operation(Keys k) {
        SplittableRandom r = k.random;
        int a = r.nextInt(KEYS), b = r.nextInt(KEYS), c = r.nextInt(KEYS), d = r.nextInt(KEYS);
        boolean write = r.nextInt(100) == 0;
        switch (impl) {
            case "stmlog":
                if (write) {
                    Stm.atomic(() -> tmap.put(a, b));
                    return 0;
                }
                return Stm.atomic(() -> tmap.get(a) + tmap.get(b) + tmap.get(c) + tmap.get(d));
            case "stmlog-tx":
                if (write) {
                    Stm.run(tx -> tmap.put(tx, a, b));
                    return 0;
                }
                return Stm.call(tx -> tmap.get(tx, a) + tmap.get(tx, b) + tmap.get(tx, c) + tmap.get(tx, d));
            case "scalastm":
                if (write) {
                    STM.atomic(() -> scalaMap.put(a, b));
                    return 0;
                }
                return STM.atomic(() -> scalaMap.get(a) + scalaMap.get(b) + scalaMap.get(c) + scalaMap.get(d));
            default:
                synchronized (lockedMap) {
                    if (write) {
                        lockedMap.put(a, b);
                        return 0;
                    }
                    return lockedMap.get(a) + lockedMap.get(b) + lockedMap.get(c) + lockedMap.get(d);
                }
        }
    }
}
