package dev.stmlog.benchmarks.format;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.WaitKind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a log for timing {@code stmlog top} end to end (benchmarks/analyzer-throughput.sh),
 * through the public writer API only, as a recording would.
 *
 * <p>Two kinds:
 * <ul>
 *   <li>{@code mixed}: each thread runs operations drawn at random: 60% exactly timed attempts
 *       (TX_START, TX_COMMIT), 15% conflicts (TX_START, a CONTENTION with the victim's and the
 *       other side's stacks, the read's for write-read, a label and a Ref id, TX_ABORT, then a
 *       backoff WAIT_BEGIN/WAIT_END), 15% batches of quiet commits (COMMITS) and 10% marks. By
 *       events that is about 55% starts and commits, 34% conflict sequences (7% contentions),
 *       7% batches and 5% marks, in 5.3 bytes per event (issue #16's recorded log has 5.4, its
 *       generated one 4.7).</li>
 *   <li>{@code commits}: start/commit pairs only, transactions of 0.1 to 20 us, as
 *       {@link ReaderBenchmark}'s log.</li>
 * </ul>
 * Operations come in bursts of 64 per thread, so that chunks of the threads interleave as in a
 * real run. The seed is fixed: the same arguments write the same file, but for the time of
 * closing in its trailer.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.stmlog.benchmarks.format.AnalyzerLogGenerator \
 *     mixed.stmlog 60M [--threads 4] [--kind mixed|commits] [--seed 1]
 * </pre>
 * The last line of its output is {@code events=N bytes=B}, for scripts.
 */
public final class AnalyzerLogGenerator {
    static final int SITES = 40;
    static final int OTHERS = 12;
    static final int REFS = 200;
    static final int BURST = 64;

    private AnalyzerLogGenerator() {}

    public enum Kind { MIXED, COMMITS }

    public static void main(String[] args) throws IOException {
        Path path = null;
        long events = -1;
        int threads = 4;
        Kind kind = Kind.MIXED;
        long seed = 1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads" -> threads = Integer.parseInt(value(args, ++i));
                case "--kind" -> kind = Kind.valueOf(value(args, ++i).toUpperCase());
                case "--seed" -> seed = Long.parseLong(value(args, ++i));
                default -> {
                    if (path == null) path = Path.of(args[i]);
                    else if (events < 0) events = parseCount(args[i]);
                    else usage();
                }
            }
        }
        if (path == null || events < 0 || threads < 1) usage();
        long t0 = System.nanoTime();
        long written = generate(path, events, threads, kind, seed);
        double s = (System.nanoTime() - t0) / 1e9;
        long size = Files.size(path);
        System.out.printf("%s: %s log, %d threads, %,d events, %,d bytes (%.2f bytes/event), written in %.1f s%n",
                path, kind.name().toLowerCase(), threads, written, size, (double) size / written, s);
        System.out.println("events=" + written + " bytes=" + size);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) usage();
        return args[i];
    }

    private static void usage() {
        System.err.println("usage: AnalyzerLogGenerator FILE EVENTS [--threads N] [--kind mixed|commits] [--seed S]"
                + "   (EVENTS may end in K or M)");
        System.exit(2);
    }

    static long parseCount(String s) {
        s = s.strip().toUpperCase();
        long scale = 1;
        if (s.endsWith("K")) scale = 1_000;
        else if (s.endsWith("M")) scale = 1_000_000;
        if (scale > 1) s = s.substring(0, s.length() - 1);
        return (long) (Double.parseDouble(s) * scale);
    }

    /** Writes about {@code events} events (never fewer) to {@code path}; returns how many it wrote. */
    public static long generate(Path path, long events, int threads, Kind kind, long seed) throws IOException {
        long origin = 1_000_000_000_000L;
        Map<String, String> user = new LinkedHashMap<>(); // in this order (Map.of's changes from run to run)
        user.put("mode", "stm");
        user.put("threads", Integer.toString(threads));
        Metadata meta = new Metadata(4242, "java -jar app.jar --threads " + threads, "OpenJDK 64-Bit Server VM 17",
                threads, threads, 1_700_000_000_000_000_000L, origin, user);
        // an hour between the flusher's takes: chunks end only when a buffer fills, so that the
        // same arguments write the same chunks, however long writing takes
        WriterOptions options = WriterOptions.defaults().withCloseOnShutdown(false).withMaxBytes(Long.MAX_VALUE / 4)
                .withFlushIntervalNanos(3_600_000_000_000L).withWarnings(System.err::println);
        LogWriter log = LogWriter.open(path, meta, options);
        SplittableRandom random = new SplittableRandom(seed);

        int[] victims = new int[SITES];
        int[] reads = new int[SITES];
        ContentionKind[] kinds = new ContentionKind[SITES];
        for (int i = 0; i < SITES; i++) {
            victims[i] = log.stack(stack(i, "set", 120));
            reads[i] = log.stack(stack(i, "get", 80));
            kinds[i] = i % 5 == 4 ? ContentionKind.INEVITABLE : i % 2 == 0 ? ContentionKind.WRITE_WRITE
                    : ContentionKind.WRITE_READ;
        }
        int[] others = new int[OTHERS];
        for (int i = 0; i < OTHERS; i++) {
            others[i] = log.stack(List.of(new Frame("dev.stmlog.runtime.Ref", "set", "Ref.java", 120),
                    new Frame("com.example.shop.Writer" + i, "commit", "Writer" + i + ".java", 10 + i),
                    new Frame("com.example.shop.Handler", "handle", "Handler.java", 80)));
        }
        int[] labels = new int[REFS];
        for (int i = 0; i < REFS; i++) labels[i] = log.string("account#" + i);
        int mark = log.string("request completed");

        ThreadWriter[] w = new ThreadWriter[threads];
        long[] clock = new long[threads];
        long[] marks = new long[threads];
        for (int i = 0; i < threads; i++) {
            w[i] = log.forThread(100 + i);
            clock[i] = origin + 1_000 + random.nextInt(10_000);
            w[i].threadStart(clock[i], 100 + i, "worker-" + i);
        }
        long n = threads;
        while (n < events) {
            for (int i = 0; i < threads && n < events; i++) {
                ThreadWriter t = w[i];
                long c = clock[i];
                for (int k = 0; k < BURST; k++) {
                    int op = kind == Kind.COMMITS ? 0 : random.nextInt(100);
                    if (op < 60) { // an exactly timed attempt that commits: 3 to 5 bytes a record
                        t.txStart(c += 50 + random.nextInt(500));
                        t.txCommit(c += 100 + random.nextInt(20_000));
                        n += 2;
                    } else if (op < 75) { // a conflict: the attempt aborts, the thread backs off
                        int site = (int) Math.min(SITES - 1, Math.abs(random.nextGaussian() * SITES / 3));
                        int ref = 1 + (site * 5 + random.nextInt(5)) % REFS;
                        ContentionKind ck = kinds[site];
                        long otherThread = 100 + (i + 1 + random.nextInt(Math.max(1, threads - 1))) % threads;
                        t.txStart(c += 50 + random.nextInt(500));
                        c += 200 + random.nextInt(10_000);
                        t.contention(c, ck, otherThread, victims[site], others[(site + random.nextInt(3)) % OTHERS],
                                ck == ContentionKind.WRITE_READ ? reads[site] : 0, labels[ref - 1], ref, false);
                        t.txAbort(c += 100 + random.nextInt(400), AbortCause.CONFLICT);
                        t.waitBegin(c += 50, WaitKind.BACKOFF);
                        t.waitEnd(c += 200 + random.nextInt(5_000), WaitKind.BACKOFF);
                        n += 5;
                    } else if (op < 90) { // quiet commits counted by the runtime, one record per tick at most
                        int count = 1 + random.nextInt(64);
                        long busy = count * (200L + random.nextInt(2_000));
                        t.txCommits(c += busy + random.nextInt(50_000), count, busy);
                        n++;
                    } else { // the application's mark of a completed operation
                        t.mark(c += 100 + random.nextInt(1_000), mark, ++marks[i]);
                        n++;
                    }
                }
                clock[i] = c;
            }
        }
        log.close();
        return n;
    }

    /** A victim's stack: the runtime's frame, then the application's. */
    private static List<Frame> stack(int site, String access, int runtimeLine) {
        List<Frame> frames = new ArrayList<>();
        frames.add(new Frame("dev.stmlog.runtime.Ref", access, "Ref.java", runtimeLine));
        frames.add(new Frame("com.example.shop.Service" + site % 10, "update" + site, "Service" + site % 10 + ".java",
                40 + site));
        frames.add(new Frame("com.example.shop.Handler", "handle", "Handler.java", 77));
        frames.add(new Frame("com.example.shop.Worker", "run", "Worker.java", 21));
        return frames;
    }
}
