package dev.stmlog.benchmarks.runtime;

import dev.stmlog.runtime.Marker;
import dev.stmlog.runtime.Ref;
import dev.stmlog.runtime.Stm;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What recording costs a bank transfer, measured in one JVM (driven by
 * {@code benchmarks/recording-cost-same-jvm.sh}): several builds of the runtime, each in a class
 * loader of its own, run the same transfers (1,000 accounts, uniform, 1 thread) in blocks of a
 * million, taking turns, and each block is timed in the thread's CPU time. On the shared 2-core
 * machine, neighbouring JMH JVMs swung by up to ±50% while other builds ran, and CPU time is
 * not charged for the time another process holds the core; taking turns in one JVM spreads
 * what is left over all the builds alike. Each JVM compiles each build once, and that
 * compilation moves a build's time by up to 2 ns from one JVM to the next: the script runs
 * several JVMs.
 *
 * <p>Arguments: warm-up rounds, measured rounds, then {@code label=classesDir:logFormatJar}
 * per build. A build whose runtime never records is the unrecorded side; with {@code STM_LOG}
 * set, the others record. Modes: {@code none} (a transfer), {@code byName} (and
 * {@code Stm.mark("transfer", 1)}), {@code marker} (and a {@link Marker}'s mark, for builds
 * that have markers), {@code atomicMarker} (the transfer as {@code Stm.atomic(marker, body)}, for
 * builds that have it: the mark counted with the transaction at hand). Prints {@code label.mode ns/op q1 q3}, medians and quartiles over the
 * rounds.
 */
public final class SameJvmRecordingCost {

    private SameJvmRecordingCost() {
    }

    /** The workload, loaded into each build's class loader. */
    public static final class Transfers {
        static final int ACCOUNTS = 1_000;
        @SuppressWarnings("unchecked")
        static final Ref<Long>[] ACC = new Ref[ACCOUNTS];
        static long seed = 42;

        static {
            for (int i = 0; i < ACCOUNTS; i++) ACC[i] = new Ref<>(1_000_000L);
        }

        private Transfers() {
        }

        static int next(int bound) {
            seed = seed * 6364136223846793005L + 1442695040888963407L;
            return (int) ((seed >>> 33) % bound);
        }

        /**
         * A transfer's transaction, between two accounts picked at random: one lambda class for
         * every mode, so that the STM's call of the body sees one type in each build.
         */
        static Runnable body() {
            int f = next(ACCOUNTS);
            int t = next(ACCOUNTS);
            if (f == t) t = (t + 1) % ACCOUNTS;
            Ref<Long> a = ACC[f];
            Ref<Long> b = ACC[t];
            long amount = 1 + next(100);
            return () -> {
                a.set(a.get() - amount);
                b.set(b.get() + amount);
            };
        }

        static void transfer() {
            Stm.atomic(body());
        }

        public static void none(int n) {
            for (int i = 0; i < n; i++) transfer();
        }

        public static void byName(int n) {
            for (int i = 0; i < n; i++) {
                transfer();
                Stm.mark("transfer", 1);
            }
        }
    }

    /** Loaded only for builds that have {@link Marker}. */
    public static final class MarkedTransfers {
        static final Marker TRANSFERS = Stm.marker("transfer");

        private MarkedTransfers() {
        }

        public static void marker(int n) {
            for (int i = 0; i < n; i++) {
                Transfers.transfer();
                TRANSFERS.mark(1);
            }
        }
    }

    /** Loaded only for builds that have {@code Stm.atomic(Marker, Runnable)}. */
    public static final class AtomicMarkedTransfers {
        static final Marker TRANSFERS = Stm.marker("transfer");

        private AtomicMarkedTransfers() {
        }

        public static void atomicMarker(int n) {
            for (int i = 0; i < n; i++) Stm.atomic(TRANSFERS, Transfers.body());
        }
    }

    private static boolean hasAtomicMarker(ClassLoader loader) {
        try {
            loader.loadClass(Stm.class.getName()).getMethod("atomic", loader.loadClass(Marker.class.getName()), Runnable.class);
            return true;
        } catch (NoSuchMethodException | ClassNotFoundException e) {
            return false;
        }
    }

    public static void main(String[] args) throws Throwable {
        int warm = Integer.parseInt(args[0]);
        int rounds = Integer.parseInt(args[1]);
        URL self = SameJvmRecordingCost.class.getProtectionDomain().getCodeSource().getLocation();
        List<String> names = new ArrayList<>();
        List<MethodHandle> runs = new ArrayList<>();
        MethodType type = MethodType.methodType(void.class, int.class);
        for (int i = 2; i < args.length; i++) {
            String[] kv = args[i].split("=", 2);
            String[] paths = kv[1].split(":");
            Path classes = Path.of(paths[0]);
            // The build's runtime first: the jar's own copy of it comes after, for the workload only.
            URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL(), Path.of(paths[1]).toUri().toURL(), self},
                    ClassLoader.getPlatformClassLoader());
            Class<?> transfers = loader.loadClass(Transfers.class.getName());
            for (String mode : new String[] {"none", "byName"}) {
                names.add(kv[0] + "." + mode);
                runs.add(MethodHandles.publicLookup().findStatic(transfers, mode, type));
            }
            if (Files.exists(classes.resolve("dev/stmlog/runtime/Marker.class"))) {
                names.add(kv[0] + ".marker");
                runs.add(MethodHandles.publicLookup().findStatic(loader.loadClass(MarkedTransfers.class.getName()), "marker", type));
            }
            if (hasAtomicMarker(loader)) {
                names.add(kv[0] + ".atomicMarker");
                runs.add(MethodHandles.publicLookup().findStatic(loader.loadClass(AtomicMarkedTransfers.class.getName()), "atomicMarker", type));
            }
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int block = 1_000_000;
        int n = runs.size();
        List<List<Double>> results = new ArrayList<>();
        for (int v = 0; v < n; v++) results.add(new ArrayList<>());
        for (int r = -warm; r < rounds; r++) {
            for (int k = 0; k < n; k++) {
                int v = Math.floorMod(k + r, n); // each round starts with the next one
                long start = mx.getCurrentThreadCpuTime();
                runs.get(v).invokeExact(block);
                long end = mx.getCurrentThreadCpuTime();
                if (r >= 0) results.get(v).add((end - start) / (double) block);
            }
        }
        for (int v = 0; v < n; v++) {
            List<Double> l = results.get(v);
            Collections.sort(l);
            System.out.printf(Locale.ROOT, "%s %.3f %.3f %.3f%n", names.get(v), l.get(l.size() / 2), l.get(l.size() / 4),
                    l.get(3 * l.size() / 4));
        }
    }
}
