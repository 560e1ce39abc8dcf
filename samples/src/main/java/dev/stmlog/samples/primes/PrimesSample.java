package dev.stmlog.samples.primes;

import dev.stmlog.samples.Marks;
import dev.stmlog.samples.Mode;
import dev.stmlog.samples.Options;
import dev.stmlog.samples.Result;
import dev.stmlog.samples.Sample;
import dev.stmlog.samples.UsageException;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;
import java.util.Locale;

/**
 * <b>primes</b>: the Tornado-on-PyPy-STM experiment. An HTTP/1.1 server on a non-blocking event
 * loop ({@link PrimesServer}) whose callbacks run as {@code TransactionQueue} batches, loaded by a
 * built-in closed-loop generator ({@link LoadGenerator}). {@code GET /primes/<n>} is CPU-bound
 * (trial division), so the callbacks could run in parallel, if only the framework's bookkeeping
 * around them did not conflict: see {@link PrimesApp} for the three planted conflicts, and
 * {@code --tuned} for the build without them.
 *
 * <p>An op is one answered request (of any status); the server counts and marks them, between
 * the marks of the measured window.
 */
public final class PrimesSample implements Sample {

    @Override
    public String name() {
        return "primes";
    }

    @Override
    public String summary() {
        return "HTTP server on a java.nio event loop, callbacks in TransactionQueue batches, built-in load generator";
    }

    @Override
    public List<Opt> options() {
        return List.of(
                new Opt("clients", "C", "load generator: keep-alive connections, closed loop (default 16)"),
                new Opt("n", "N", "load generator: requests GET /primes/<N-k>, k = 0..15 (default 20000)"),
                new Opt("tuned", null, "remove the planted conflicts (stats, inevitable clock, ETag cache)"),
                new Opt("port", "P", "listen on 127.0.0.1:P (default 0: any free port)"),
                new Opt("load", "L", "builtin (default) | none: serve only, for an external client, for --duration"));
    }

    @Override
    public Result run(Options o, PrintStream out) throws Exception {
        boolean tuned = o.flag("tuned");
        int clients = o.intValue("clients", 16, 1, 10_000);
        int n = o.intValue("n", 20_000, 0, PrimesApp.MAX_N);
        int port = o.intValue("port", 0, 0, 65_535);
        String load = o.string("load", "builtin");
        if (!load.equals("builtin") && !load.equals("none")) {
            throw new UsageException("bad --load '" + load + "' (expected builtin or none)");
        }
        // More metadata for the log, still before the STM's first use.
        System.setProperty("stmlog.meta.tuned", Boolean.toString(tuned));
        System.setProperty("stmlog.meta.clients", Integer.toString(clients));

        Mode mode = o.mode();
        PrimesApp app = new PrimesApp(mode, tuned);
        try (PrimesServer server = new PrimesServer(app, mode, o.threads(), port).start()) {
            out.printf(Locale.ROOT, "primes: listening on http://127.0.0.1:%d/ (mode=%s threads=%d %s)%n",
                    server.port(), mode.label(), server.threads(), tuned ? "tuned" : "default");
            out.flush();
            LoadGenerator gen = load.equals("builtin") ? new LoadGenerator(server.port(), clients, n) : null;
            Thread genThread = null;
            if (gen != null) {
                genThread = new Thread(gen, "load-generator");
                genThread.setDaemon(true);
                genThread.start();
            }
            sleep(o.warmup());
            Map<String, Long> cpuBefore = cpuByRole();
            long start = Marks.windowStart();
            if (gen != null) gen.counting(true);
            server.counting(true);
            sleep(o.duration());
            server.counting(false); // returns after the last counted response was marked
            if (gen != null) gen.counting(false);
            long end = Marks.windowEnd();
            out.println(cpuLine(cpuBefore, cpuByRole(), (end - start) / 1e9));
            if (gen != null) {
                gen.stop();
                genThread.join(10_000);
                if (gen.failure() != null) throw new IllegalStateException("load generator failed", gen.failure());
                out.println(gen.report().line());
            }
            if (server.failure() != null) throw new IllegalStateException("event loop failed", server.failure());
            PrimesApp.Stats s = app.stats();
            out.printf(Locale.ROOT, "primes: mean batch %.2f requests, callbacks running %.0f%% of the time%n",
                    server.meanBatch(), 100 * server.dispatchSeconds() / ((end - start) / 1e9));
            out.printf(Locale.ROOT, "primes: stats requests=%d ok=%d errors=%d bytes=%d%n", s.requests(), s.ok(), s.errors(), s.bytes());
            return new Result(name(), mode, server.threads(), server.completed(), (end - start) / 1e9);
        }
    }

    /**
     * CPU time used so far by each role (event loop, load generator, workers), to see where the
     * cores went: on a 2-core machine the load generator and the loop compete with the workers.
     */
    static Map<String, Long> cpuByRole() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new TreeMap<>();
        if (!mx.isThreadCpuTimeSupported()) return cpu;
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) continue;
            String name = info.getThreadName();
            String role = name.equals("primes-event-loop") ? "loop"
                    : name.equals("load-generator") ? "loadgen"
                    : name.startsWith("stm-worker") || name.startsWith("lock-worker") ? "workers" : null;
            long t = mx.getThreadCpuTime(info.getThreadId());
            if (role != null && t > 0) cpu.merge(role, t, Long::sum);
        }
        return cpu;
    }

    /** {@code cpu: loadgen=0.12 loop=0.05 workers=1.80} in cores (CPU seconds per second) over the window. */
    static String cpuLine(Map<String, Long> before, Map<String, Long> after, double seconds) {
        StringBuilder sb = new StringBuilder("cpu (cores):");
        for (Map.Entry<String, Long> e : after.entrySet()) {
            double used = (e.getValue() - before.getOrDefault(e.getKey(), 0L)) / 1e9;
            sb.append(String.format(Locale.ROOT, " %s=%.2f", e.getKey(), seconds > 0 ? used / seconds : 0));
        }
        return sb.toString();
    }

    private static void sleep(double seconds) throws InterruptedException {
        long until = System.nanoTime() + (long) (seconds * 1e9);
        long left;
        while ((left = until - System.nanoTime()) > 0) Thread.sleep(Math.max(1, left / 1_000_000));
    }
}
