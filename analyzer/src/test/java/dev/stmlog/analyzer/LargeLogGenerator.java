package dev.stmlog.analyzer;

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
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Writes a large, realistic log for benchmarking {@code stmlog top}: 8 worker threads running
 * transactions of a few microseconds, about 2% of attempts aborted by a contention at one of 40
 * sites (all three kinds, with the other side's stack and a label), a backoff wait after each
 * abort, lock waits inside some attempts, application marks and GC pauses.
 *
 * <pre>
 * java -cp analyzer/target/test-classes:analyzer/target/classes:log-format/target/classes \
 *     dev.stmlog.analyzer.LargeLogGenerator big.stmlog 50M
 * </pre>
 */
public final class LargeLogGenerator {
    static final int THREADS = 8;
    static final int SITES = 40;
    static final int OTHERS = 12;

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: LargeLogGenerator FILE EVENTS   (EVENTS may end in K, M or G)");
            System.exit(2);
        }
        Path path = Path.of(args[0]);
        long events = parseCount(args[1]);
        long t0 = System.nanoTime();
        long written = generate(path, events, 42);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %,d events, %,d bytes (%.2f bytes/event), written in %.1f s%n", path, written,
                Files.size(path), (double) Files.size(path) / written, s);
    }

    static long parseCount(String s) {
        s = s.strip().toUpperCase();
        long scale = 1;
        if (s.endsWith("K")) scale = 1_000;
        else if (s.endsWith("M")) scale = 1_000_000;
        else if (s.endsWith("G")) scale = 1_000_000_000;
        if (scale > 1) s = s.substring(0, s.length() - 1);
        return (long) (Double.parseDouble(s) * scale);
    }

    /** Writes about {@code events} events to {@code path}; returns how many it wrote. */
    public static long generate(Path path, long events, long seed) throws IOException {
        long origin = 1_000_000_000_000L;
        Metadata meta = new Metadata(4242, "java -jar bench.jar --threads " + THREADS, "OpenJDK 64-Bit Server VM 17",
                THREADS, THREADS, 1_700_000_000_000_000_000L, origin, Map.of("mode", "stm", "threads", "" + THREADS));
        WriterOptions options = WriterOptions.defaults().withCloseOnShutdown(false).withMaxBytes(Long.MAX_VALUE / 4)
                .withWarnings(System.err::println);
        LogWriter log = LogWriter.open(path, meta, options);
        SplittableRandom random = new SplittableRandom(seed);

        int[] victimStacks = new int[SITES];
        ContentionKind[] kinds = new ContentionKind[SITES];
        for (int i = 0; i < SITES; i++) {
            List<Frame> frames = new ArrayList<>();
            frames.add(new Frame("dev.stmlog.runtime.Ref", "set", "Ref.java", 120));
            frames.add(new Frame("com.example.shop.Service" + (i % 10), "update" + i, "Service" + (i % 10) + ".java", 40 + i));
            frames.add(new Frame("com.example.shop.Handler", "handle", "Handler.java", 77));
            frames.add(new Frame("com.example.shop.Worker", "run", "Worker.java", 21));
            victimStacks[i] = log.stack(frames);
            kinds[i] = i % 5 == 4 ? ContentionKind.INEVITABLE : i % 2 == 0 ? ContentionKind.WRITE_WRITE : ContentionKind.WRITE_READ;
        }
        int[] otherStacks = new int[OTHERS];
        for (int i = 0; i < OTHERS; i++) {
            otherStacks[i] = log.stack(List.of(new Frame("com.example.shop.Writer" + i, "commit", "Writer" + i + ".java", 10 + i),
                    new Frame("com.example.shop.Handler", "handle", "Handler.java", 80)));
        }
        int[] labels = new int[16];
        for (int i = 0; i < labels.length; i++) labels[i] = log.string("account#" + i);
        int mark = log.string("requests");

        ThreadWriter[] w = new ThreadWriter[THREADS];
        long[] clock = new long[THREADS];
        long[] done = new long[THREADS];
        for (int i = 0; i < THREADS; i++) {
            w[i] = log.forThread(100 + i);
            clock[i] = origin + 1_000 + random.nextInt(10_000);
            w[i].threadStart(clock[i], 100 + i, "worker-" + i);
        }
        long n = THREADS;
        int conflicts = 0;
        while (n < events) {
            for (int i = 0; i < THREADS && n < events; i++) {
                ThreadWriter t = w[i];
                // a burst of transactions on this thread, so that chunks interleave as in a real run
                for (int k = 0; k < 64; k++) {
                    long c = clock[i] + 200 + random.nextInt(1_500);
                    t.txStart(c);
                    n++;
                    c += 1_000 + random.nextInt(15_000);
                    if (random.nextInt(100) == 0) { // a lock wait inside the attempt
                        t.waitBegin(c, WaitKind.LOCK);
                        c += 500 + random.nextInt(5_000);
                        t.waitEnd(c, WaitKind.LOCK);
                        n += 2;
                    }
                    if (random.nextInt(50) == 0) { // ~2% of attempts abort
                        int site = (int) Math.min(SITES - 1, Math.abs(random.nextGaussian() * SITES / 3));
                        int other = (site + random.nextInt(3)) % OTHERS;
                        long otherThread = 100 + (i + 1 + random.nextInt(THREADS - 1)) % THREADS;
                        t.contention(c, kinds[site], otherThread, victimStacks[site], otherStacks[other],
                                kinds[site] == ContentionKind.WRITE_READ ? victimStacks[(site + 1) % SITES] : 0,
                                labels[site % labels.length]);
                        c += 100 + random.nextInt(400);
                        t.txAbort(c, AbortCause.CONFLICT);
                        t.waitBegin(c + 50, WaitKind.BACKOFF);
                        c += 50 + 200 + random.nextInt(2_000 << Math.min(4, conflicts % 5));
                        t.waitEnd(c, WaitKind.BACKOFF);
                        n += 4;
                        conflicts++;
                    } else {
                        t.txCommit(c);
                        n++;
                        done[i]++;
                        if (done[i] % 1000 == 0) {
                            t.mark(c, mark, done[i]);
                            n++;
                        }
                    }
                    clock[i] = c;
                }
                if (random.nextInt(2000) == 0) {
                    t.gcPause(clock[i] + 100, "G1 Young Generation", 200_000 + random.nextInt(3_000_000));
                    n++;
                }
            }
        }
        log.close();
        return n;
    }
}
