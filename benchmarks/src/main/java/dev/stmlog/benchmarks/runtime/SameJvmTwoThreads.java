package dev.stmlog.benchmarks.runtime;

import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;
import dev.stmlog.runtime.TLong;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Two builds of the runtime at 2 threads, measured in one JVM, taking turns every few hundred
 * milliseconds (driven by {@code benchmarks/two-threads.sh}). Each build, in a class loader of
 * its own, runs the bank (1,000 accounts, uniform) on two threads at once, a block of a million
 * transfers per thread; the blocks of the builds alternate, and each is timed on the wall clock
 * (both threads start together; the block ends when both are done).
 *
 * <p>Why: on the shared 2-vCPU machine a 2-thread score moves between two levels about 2.5×
 * apart (the bank's stmlog-long near 20 or near 7.6 ops/µs) and switches between them every few
 * seconds to minutes, in every build: the hypervisor moves the vCPUs (a cache line's round trip
 * between the two threads measured 69 ns, then 235 ns, a few seconds later), and every commit
 * moves the STM clock's line between them. JMH forks of 10 s then measure how many of their
 * iterations fell low. Adjacent blocks of a few hundred milliseconds mostly fall in the same
 * placement, so the ratio of each pair of them compares the builds; the median over pairs
 * leaves out the few pairs that straddle a switch.
 *
 * <p>Arguments: warm-up rounds, measured rounds, then {@code label=runtimeJar:logFormatJar} per
 * build (the first is the reference of the ratios), and {@code peers} to run one global lock and
 * ScalaSTM too ({@link Peers}). Modes: {@code stmlog} ({@code Stm.atomic}
 * and {@code Ref<Long>}), {@code stmlog-long} ({@code Stm.run} and {@link TLong}s, for builds
 * that have them and a public {@code Txn}). Prints, per build and mode, {@code label.mode ops/µs q1 q3} (median and
 * quartiles over the rounds), then {@code ratio A B median q1 q3 min max}, A's score over B's
 * paired by round: each later build's arm over the first build's, and each build's arm over
 * each peer.
 */
public final class SameJvmTwoThreads {

    private static final int THREADS = 2;
    private static final int BLOCK = 1_000_000;
    private static final long WAIT_SECONDS = 120;

    private SameJvmTwoThreads() {
    }

    /** Every workload's picks: two accounts and an amount from a seed (one step of an LCG). */
    static final class Pick {
        static final int ACCOUNTS = 1_000;

        private Pick() {
        }

        static long next(long seed) {
            return seed * 6364136223846793005L + 1442695040888963407L;
        }

        static int from(long seed) {
            return (int) ((seed >>> 33) % ACCOUNTS);
        }

        /** Another account than {@link #from}'s. */
        static int to(long seed) {
            int t = (int) ((seed >>> 13 & 0xFFFFF) % ACCOUNTS);
            return t == from(seed) ? (t + 1) % ACCOUNTS : t;
        }

        static long amount(long seed) {
            return 1 + (seed & 63);
        }
    }

    /** The workload on {@code Ref<Long>}, loaded into each build's class loader. */
    public static final class RefBank {
        @SuppressWarnings("unchecked")
        static final Ref<Long>[] ACC = new Ref[Pick.ACCOUNTS];

        static {
            for (int i = 0; i < Pick.ACCOUNTS; i++) ACC[i] = new Ref<>(1_000_000L);
        }

        private RefBank() {
        }

        /** {@code n} transfers between accounts picked from {@code seed}. */
        public static void run(int n, long seed) {
            for (int i = 0; i < n; i++) {
                seed = Pick.next(seed);
                int f = Pick.from(seed);
                int t = Pick.to(seed);
                Ref<Long> a = ACC[f];
                Ref<Long> b = ACC[t];
                long amount = Pick.amount(seed);
                Stm.atomic(() -> {
                    a.set(a.get() - amount);
                    b.set(b.get() + amount);
                });
            }
        }
    }

    /** The workload on {@link TLong}s with the transaction passed, for builds that have them. */
    public static final class LongBank {
        static final TLong[] ACC = new TLong[Pick.ACCOUNTS];

        static {
            for (int i = 0; i < Pick.ACCOUNTS; i++) ACC[i] = new TLong(1_000_000L);
        }

        private LongBank() {
        }

        /** {@code n} transfers between accounts picked from {@code seed}. */
        public static void run(int n, long seed) {
            for (int i = 0; i < n; i++) {
                seed = Pick.next(seed);
                int f = Pick.from(seed);
                int t = Pick.to(seed);
                TLong a = ACC[f];
                TLong b = ACC[t];
                long amount = Pick.amount(seed);
                Stm.run(tx -> {
                    a.setLong(tx, a.getLong(tx) - amount);
                    b.setLong(tx, b.getLong(tx) + amount);
                });
            }
        }
    }

    /**
     * The peers, on the same workload, loaded once (from this jar): one global lock, and
     * ScalaSTM. Their ratios to a build's arms are what {@code runtime-benchmarks.sh} prints
     * from separate JMH forks, which at 2 threads may each run at either of the machine's two
     * levels.
     */
    public static final class Peers {
        static final long[] LOCKED = new long[Pick.ACCOUNTS];
        static final Object LOCK = new Object();
        @SuppressWarnings("unchecked")
        static final scala.concurrent.stm.Ref.View<Long>[] SCALA = new scala.concurrent.stm.Ref.View[Pick.ACCOUNTS];

        static {
            java.util.Arrays.fill(LOCKED, 1_000_000L);
            for (int i = 0; i < Pick.ACCOUNTS; i++) SCALA[i] = scala.concurrent.stm.japi.STM.newRef(1_000_000L);
        }

        private Peers() {
        }

        /** {@code n} transfers under one global lock. */
        public static void lock(int n, long seed) {
            for (int i = 0; i < n; i++) {
                seed = Pick.next(seed);
                int f = Pick.from(seed);
                int t = Pick.to(seed);
                long amount = Pick.amount(seed);
                synchronized (LOCK) {
                    LOCKED[f] -= amount;
                    LOCKED[t] += amount;
                }
            }
        }

        /** {@code n} transfers in ScalaSTM transactions. */
        public static void scalastm(int n, long seed) {
            for (int i = 0; i < n; i++) {
                seed = Pick.next(seed);
                int f = Pick.from(seed);
                int t = Pick.to(seed);
                scala.concurrent.stm.Ref.View<Long> a = SCALA[f];
                scala.concurrent.stm.Ref.View<Long> b = SCALA[t];
                long amount = Pick.amount(seed);
                scala.concurrent.stm.japi.STM.atomic(() -> {
                    a.set(a.get() - amount);
                    b.set(b.get() + amount);
                });
            }
        }
    }

    /** One build's workload in one mode. */
    private record Arm(String build, String mode, MethodHandle run) {
        String name() {
            return build + "." + mode;
        }
    }

    /** The two worker threads, given a workload per block. */
    private static final class Workers {
        private final CyclicBarrier start = new CyclicBarrier(THREADS + 1);
        private final CyclicBarrier end = new CyclicBarrier(THREADS + 1);
        private volatile MethodHandle job;
        private volatile Throwable failure;

        Workers() {
            for (int w = 0; w < THREADS; w++) {
                long seed = 42 + 1_000_003L * w;
                Thread t = new Thread(() -> work(seed), "bank-" + w);
                t.setDaemon(true);
                t.start();
            }
        }

        private void work(long seed) {
            try {
                for (long s = seed;; s += 7_919) {
                    start.await(WAIT_SECONDS, TimeUnit.SECONDS);
                    job.invokeExact(BLOCK, s);
                    end.await(WAIT_SECONDS, TimeUnit.SECONDS);
                }
            } catch (Throwable t) {
                failure = t;
                start.reset(); // wakes the others at once (BrokenBarrierException)
                end.reset();
            }
        }

        /** Runs a block of {@code run} on both threads; returns the transfers per µs. */
        double block(MethodHandle run) throws Exception {
            job = run;
            long t0 = System.nanoTime();
            try {
                start.await(WAIT_SECONDS, TimeUnit.SECONDS);
                end.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (BrokenBarrierException | TimeoutException e) {
                throw failure != null ? new IllegalStateException("a bank thread failed: " + failure, failure)
                        : new IllegalStateException("a block took over " + WAIT_SECONDS + " s");
            }
            return THREADS * (double) BLOCK / ((System.nanoTime() - t0) / 1_000.0);
        }
    }

    private static final String USAGE = "usage: SameJvmTwoThreads WARMUP_ROUNDS ROUNDS LABEL=RUNTIME_JAR:LOG_FORMAT_JAR... [peers]";

    public static void main(String[] args) throws Throwable {
        String bad = badArguments(args);
        if (bad != null) {
            System.err.println("two threads: " + bad + "\n" + USAGE);
            System.exit(2);
        }
        try {
            measure(args);
        } catch (IllegalStateException e) {
            System.err.println("two threads: " + e.getMessage());
            System.exit(1);
        }
    }

    /** What is wrong with the arguments, or null. */
    private static String badArguments(String[] args) {
        if (args.length < 3) return "too few arguments";
        for (int i = 0; i < 2; i++) {
            try {
                if (Integer.parseInt(args[i]) < (i == 0 ? 0 : 1)) return "argument " + (i + 1) + " is too small: " + args[i];
            } catch (NumberFormatException e) {
                return "argument " + (i + 1) + " is not a number: " + args[i];
            }
        }
        int builds = 0;
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("peers")) continue;
            String[] kv = args[i].split("=", 2);
            if (kv.length != 2 || kv[0].isEmpty() || kv[1].split(":").length != 2) return "not LABEL=RUNTIME_JAR:LOG_FORMAT_JAR: " + args[i];
            for (String jar : kv[1].split(":")) {
                if (!java.nio.file.Files.isReadable(Path.of(jar))) return "no such jar: " + jar;
            }
            builds++;
        }
        return builds == 0 ? "no build to measure" : null;
    }

    private static void measure(String[] args) throws Throwable {
        int warm = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        URL self = SameJvmTwoThreads.class.getProtectionDomain().getCodeSource().getLocation();
        MethodType type = MethodType.methodType(void.class, int.class, long.class);
        List<Arm> arms = new ArrayList<>();
        List<Arm> peers = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            if (args[i].equals("peers")) {
                for (String peer : new String[] {"lock", "scalastm"}) {
                    peers.add(new Arm("peer", peer, MethodHandles.publicLookup().findStatic(Peers.class, peer, type)));
                }
                continue;
            }
            String[] kv = args[i].split("=", 2);
            String[] paths = kv[1].split(":");
            // The build's runtime first: the jar's own copy of it comes after, for the workload only.
            URLClassLoader loader = new URLClassLoader(new URL[] {Path.of(paths[0]).toUri().toURL(), Path.of(paths[1]).toUri().toURL(), self},
                    ClassLoader.getPlatformClassLoader());
            arms.add(new Arm(kv[0], "stmlog", MethodHandles.publicLookup().findStatic(loader.loadClass(RefBank.class.getName()), "run", type)));
            MethodHandle longBank = MethodHandles.publicLookup().findStatic(loader.loadClass(LongBank.class.getName()), "run", type);
            if (links(longBank)) {
                arms.add(new Arm(kv[0], "stmlog-long", longBank));
            }
        }
        List<Arm> builds = List.copyOf(arms);
        arms.addAll(peers);
        Workers workers = new Workers();
        int n = arms.size();
        double[][] scores = new double[n][rounds];
        for (int r = -warm; r < rounds; r++) {
            for (int k = 0; k < n; k++) {
                int v = Math.floorMod(k + r, n); // each round starts with the next one
                double s = workers.block(arms.get(v).run());
                if (r >= 0) scores[v][r] = s;
            }
        }
        for (int v = 0; v < n; v++) {
            List<Double> l = sorted(scores[v]);
            System.out.printf(Locale.ROOT, "%s %.3f %.3f %.3f%n", arms.get(v).name(), l.get(l.size() / 2), l.get(l.size() / 4), l.get(3 * l.size() / 4));
        }
        String reference = arms.get(0).build();
        for (int v = 0; v < builds.size(); v++) {
            Arm a = arms.get(v);
            int ref = indexOf(arms, reference, a.mode());
            if (!a.build().equals(reference) && ref >= 0) printRatio(scores, arms, v, ref);
            for (int p = builds.size(); p < n; p++) printRatio(scores, arms, v, p);
        }
    }

    /** {@code ratio A B median q1 q3 min max}: arm {@code a}'s score over arm {@code b}'s, paired by round. */
    private static void printRatio(double[][] scores, List<Arm> arms, int a, int b) {
        double[] ratios = new double[scores[a].length];
        for (int r = 0; r < ratios.length; r++) ratios[r] = scores[a][r] / scores[b][r];
        List<Double> l = sorted(ratios);
        System.out.printf(Locale.ROOT, "ratio %s %s %.3f %.3f %.3f %.3f %.3f%n", arms.get(a).name(), arms.get(b).name(),
                l.get(l.size() / 2), l.get(l.size() / 4), l.get(3 * l.size() / 4), l.get(0), l.get(l.size() - 1));
    }

    /** Whether the build has what {@code run} needs (TLong, and {@code Stm.run} given a public Txn): one transfer. */
    private static boolean links(MethodHandle run) throws Throwable {
        try {
            run.invokeExact(1, 1L);
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }

    private static int indexOf(List<Arm> arms, String build, String mode) {
        for (int i = 0; i < arms.size(); i++) {
            if (arms.get(i).build().equals(build) && arms.get(i).mode().equals(mode)) return i;
        }
        return -1;
    }

    private static List<Double> sorted(double[] xs) {
        List<Double> l = new ArrayList<>();
        for (double x : xs) l.add(x);
        Collections.sort(l);
        return l;
    }
}
