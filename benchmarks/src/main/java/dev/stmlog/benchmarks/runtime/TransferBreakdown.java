package dev.stmlog.benchmarks.runtime;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;
import dev.stmlog.runtime.TLong;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Where a stmlog bank transfer's time goes (issue #16, part 3), one thread, unrecorded: the
 * transfer of {@link BankBenchmark} (1,000 accounts, uniform) next to variants that each add
 * or take away one part of it (an empty transaction, a capturing body, two reads by
 * {@code get()} and by {@code get(tx)}, blind writes, the values taken from a table of boxes
 * instead of boxed anew, the bare atomics a commit of two Refs needs; the transfer, its reads and
 * its blind writes on {@link TLong}s; the transfer as the algorithm alone, {@link Tl2Floor}), each variant a loop of
 * its own (its own profile, as a program's call site has), run in blocks of a million that take
 * turns, each timed in thread CPU time. Prints ns per operation, median and quartiles over the
 * rounds; the differences between lines are the parts.
 * Run: {@code java -cp benchmarks/target/benchmarks.jar dev.stmlog.benchmarks.runtime.TransferBreakdown 10 30}
 * (add {@code -XX:+UseParallelGC} for G1's share)
 * (warm-up rounds, measured rounds).
 */
public final class TransferBreakdown {
    static final int N = 1000;
    @SuppressWarnings("unchecked")
    static final Ref<Long>[] acc = new Ref[N];
    static final long[] plain = new long[N];
    static final AtomicLongArray words = new AtomicLongArray(N * 8);
    static final AtomicLong clock = new AtomicLong();
    static final Long[] boxes = new Long[256];
    static long seed = 42, sink;
    static int next(int bound) { seed = seed * 6364136223846793005L + 1442695040888963407L; return (int) ((seed >>> 33) % bound); }
    static final Runnable EMPTY = () -> { };

    private TransferBreakdown() {
    }

    static final String[] NAMES = {"plain", "random-only", "atomic-empty", "atomic-capturing", "read2", "read2-tx", "write2-blind", "transfer", "transfer-tx", "transfer-nobox", "2cas+xadd", "2box", "write1-blind", "write1-twice", "transfer-long", "read2-long", "write2-long-blind", "tl2-floor"};
    static final TLong[] longs = new TLong[N];
    static void l0(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            plain[f] -= amt; plain[t] += amt;
        }
    }
    static void l1(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            sink += f ^ t ^ amt;
        }
    }
    static void l2(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            Stm.atomic(EMPTY);
        }
    }
    static void l3(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            Stm.atomic(() -> { sink += amt; });
        }
    }
    static void l4(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            Ref<Long> a = acc[f], b = acc[t]; Stm.atomic(() -> { sink += a.get() + b.get(); });
        }
    }
    static void l5(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            Ref<Long> a = acc[f], b = acc[t]; Stm.run(tx -> { sink += a.get(tx) + b.get(tx); });
        }
    }
    static void l6(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            Ref<Long> a = acc[f], b = acc[t]; Long v = boxes[(int) amt]; Stm.atomic(() -> { a.set(v); b.set(v); });
        }
    }
    static void l7(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            Ref<Long> a = acc[f], b = acc[t]; Stm.atomic(() -> { a.set(a.get() - amt); b.set(b.get() + amt); });
        }
    }
    static void l8(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            Ref<Long> a = acc[f], b = acc[t]; Stm.run(tx -> { a.set(tx, a.get(tx) - amt); b.set(tx, b.get(tx) + amt); });
        }
    }
    static void l9(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            Ref<Long> a = acc[f], b = acc[t]; Stm.atomic(() -> { long x = a.get(), y = b.get(); a.set(boxes[(int) (x + amt) & 255]); b.set(boxes[(int) (y - amt) & 255]); });
        }
    }
    static void l10(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            int p = f * 8, q = t * 8; long w = words.get(p); words.compareAndSet(p, w, w | Long.MIN_VALUE); long v = words.get(q); words.compareAndSet(q, v, v | Long.MIN_VALUE); long c = clock.getAndAdd(2); words.setRelease(p, c); words.setRelease(q, c);
        }
    }
    static void l11(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            sink += Long.valueOf(plain[f] - amt).hashCode() + Long.valueOf(plain[t] + amt).hashCode(); plain[f] -= amt;
        }
    }

    static void l12(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            Ref<Long> a = acc[f]; Long v = boxes[(int) amt]; Stm.atomic(() -> { a.set(v); });
        }
    }
    static void l13(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            Ref<Long> a = acc[f]; Long v = boxes[(int) amt]; Stm.atomic(() -> { a.set(v); a.set(v); });
        }
    }
    static void l14(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            TLong a = longs[f], b = longs[t]; Stm.run(tx -> { a.setLong(tx, a.getLong(tx) - amt); b.setLong(tx, b.getLong(tx) + amt); });
        }
    }
    static void l15(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            TLong a = longs[f], b = longs[t]; Stm.run(tx -> { sink += a.getLong(tx) + b.getLong(tx); });
        }
    }
    static void l16(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            TLong a = longs[f], b = longs[t]; Stm.run(tx -> { a.setLong(tx, amt); b.setLong(tx, amt); });
        }
    }
    static final Tl2Floor floor = new Tl2Floor(N, 1_000_000L);
    static void l17(int n) {
        for (int i = 0; i < n; i++) {
            int f = next(N), t = next(N); if (f == t) t = (t + 1) % N; long amt = 1 + next(100);
            floor.transfer(f, t, amt);
        }
    }
    static void run(int v, int n) { switch (v) { case 0 -> l0(n); case 1 -> l1(n); case 2 -> l2(n); case 3 -> l3(n); case 4 -> l4(n); case 5 -> l5(n); case 6 -> l6(n); case 7 -> l7(n); case 8 -> l8(n); case 9 -> l9(n); case 10 -> l10(n); case 11 -> l11(n); case 12 -> l12(n); case 13 -> l13(n); case 14 -> l14(n); case 15 -> l15(n); case 16 -> l16(n); case 17 -> l17(n); default -> throw new IllegalArgumentException(); } }
    public static void main(String[] args) {
        for (int i = 0; i < N; i++) acc[i] = new Ref<>(1_000_000L);
        for (int i = 0; i < N; i++) longs[i] = new TLong(1_000_000L);
        for (int i = 0; i < 256; i++) boxes[i] = (long) i + 1000;
        Arrays.fill(plain, 1_000_000L);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int block = 1_000_000, warm = Integer.parseInt(args[0]), rounds = Integer.parseInt(args[1]), n = NAMES.length;
        List<List<Double>> res = new ArrayList<>(); for (int v = 0; v < n; v++) res.add(new ArrayList<>());
        for (int r = -warm; r < rounds; r++) {
            for (int k = 0; k < n; k++) {
                int v = Math.floorMod(k + r, n);
                long c0 = mx.getCurrentThreadCpuTime();
                run(v, block);
                long c1 = mx.getCurrentThreadCpuTime();
                if (r >= 0) res.get(v).add((c1 - c0) / (double) block);
            }
        }
        for (int v = 0; v < n; v++) { List<Double> l = res.get(v); Collections.sort(l);
            System.out.printf(java.util.Locale.ROOT, "%-18s %6.2f ns [%.2f-%.2f]%n", NAMES[v], l.get(l.size()/2), l.get(l.size()/4), l.get(3*l.size()/4)); }
        if (sink == 42) System.out.println(); // keeps the sums of the read variants alive
    }
}
