package dev.stmlog.analyzer;

import dev.stmlog.format.LogWriter;
import dev.stmlog.format.ThreadWriter;
import dev.stmlog.format.WriterOptions;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.WaitKind;
import dev.stmlog.reports.ConflictSeries;
import dev.stmlog.reports.JsonReportWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An analysis comes out the same whether the log's chunks are decoded on the reading thread alone
 * or in parallel: every figure, row, time line and damage line, on generated logs of several
 * megabytes (many batches), intact and damaged.
 */
@Timeout(300)
class ParallelAnalysisTest {
    @TempDir
    Path dir;

    private static final LogSource.Options SEQUENTIAL = new LogSource.Options(Map.of(), w -> { }, 0);

    /**
     * What an analysis shows, as text: JSON of every grouping's rows (and of a time window's, and
     * of one thread's) with the summary, damage, unexpected sequences, time lines and metadata.
     */
    private static String shown(List<Path> logs, LogSource.Options source) throws IOException {
        StringBuilder out = new StringBuilder();
        JsonReportWriter json = new JsonReportWriter();
        List<AnalysisOptions> all = new ArrayList<>();
        for (Grouping by : Grouping.values()) all.add(new AnalysisOptions(by, 2, 0, Long.MAX_VALUE, null));
        all.add(new AnalysisOptions(Grouping.SITE, 1, 3_000_000, 40_000_000, null)); // a time window
        all.add(new AnalysisOptions(Grouping.PAIR, 3, 0, Long.MAX_VALUE, "11"));     // one thread
        for (AnalysisOptions options : all) {
            Analysis a = Analyzer.analyze(logs, options, source, Progress.NONE, 200);
            json.writeTop(a.top(SortKey.LOST, Integer.MAX_VALUE, null), out);
            out.append('\n').append(a.damageLines()).append('\n').append(a.unexpected().describe()).append('\n');
            out.append(a.timelines()).append('\n').append(a.metadata()).append('\n');
            ConflictSeries series = a.conflictSeries(50);
            for (Map.Entry<String, int[]> e : series.byKind().entrySet()) {
                out.append(e.getKey()).append(Arrays.toString(e.getValue())).append('\n');
            }
        }
        return out.toString();
    }

    private static void assertSameAnalysis(List<Path> logs) throws IOException {
        String sequential = shown(logs, SEQUENTIAL);
        for (int decoders : new int[] {1, 2, 4}) {
            assertEquals(sequential, shown(logs, SEQUENTIAL.withDecoders(decoders)), decoders + " decoders");
        }
    }

    /**
     * A log that exercises what depends on the order of events across threads: conflicts met at
     * commit (no victim stack; the re-run's ACCESS_SITE completes them), untimed first attempts
     * charged from the exactly timed ones on the same object so far, first conflicts with no
     * other side; with batches of quiet commits, marks and GC pauses.
     */
    static Path orderSensitiveLog(Path file, long events, long seed) throws IOException {
        long origin = 1_000_000_000_000L;
        Metadata meta = new Metadata(7, "java -jar app.jar", "OpenJDK 17", 4, 4, 1_700_000_000_000_000_000L, origin,
                Map.of("mode", "stm", "threads", "4"));
        LogWriter log = LogWriter.open(file, meta, WriterOptions.defaults().withCloseOnShutdown(false));
        SplittableRandom r = new SplittableRandom(seed);
        int[] stacks = new int[12];
        for (int i = 0; i < stacks.length; i++) {
            stacks[i] = log.stack(List.of(new Frame("dev.stmlog.runtime.Ref", "get", "Ref.java", 50),
                    new Frame("com.example.App" + i % 4, "work" + i, "App" + i % 4 + ".java", 10 + i)));
        }
        int[] labels = new int[8];
        for (int i = 0; i < labels.length; i++) labels[i] = log.string(i % 2 == 0 ? "account#" + i : "map[" + i + "]");
        ThreadWriter[] w = new ThreadWriter[4];
        long[] clock = new long[4];
        for (int i = 0; i < 4; i++) {
            w[i] = log.forThread(10 + i);
            clock[i] = origin + r.nextInt(1000);
            w[i].threadStart(clock[i], 10 + i, "worker-" + i);
        }
        long n = 4;
        while (n < events) {
            int i = r.nextInt(4);
            ThreadWriter t = w[i];
            long c = clock[i];
            for (int k = 0; k < 32; k++) {
                int op = r.nextInt(100);
                int ref = 1 + r.nextInt(6);
                ContentionKind kind = ContentionKind.values()[ref % 3];
                if (op < 50) {
                    t.txStart(c += 100 + r.nextInt(900));
                    t.txCommit(c += 200 + r.nextInt(9_000));
                    n += 2;
                } else if (op < 70) { // a conflict met at commit: its victim is told by the re-run's access
                    boolean untimed = r.nextBoolean();
                    t.txStart(c += 100);
                    if (untimed) t.untimedStart(c += 10, 500 + r.nextInt(5_000));
                    t.contention(c += 300 + r.nextInt(3_000), kind, 10 + r.nextInt(4), 0,
                            r.nextInt(4) == 0 ? 0 : stacks[(ref + 3) % 12], 0, labels[ref % 8], ref, true);
                    t.txAbort(c += 50, AbortCause.CONFLICT);
                    t.waitBegin(c += 10, WaitKind.BACKOFF);
                    t.waitEnd(c += 100 + r.nextInt(2_000), WaitKind.BACKOFF);
                    if (r.nextInt(3) == 0) {
                        // a re-run among quiet commits, not timed on its own: the untimed attempt is
                        // charged the mean of the exactly timed ones on its object so far, in file order
                        t.txCommits(c += 5_000, 1 + r.nextInt(3), 4_000);
                        n += 7 + (untimed ? 1 : 0);
                    } else {
                        t.txStart(c += 20);
                        t.accessSite(c += 30, ref, kind == ContentionKind.WRITE_WRITE ? AccessKind.WRITE : AccessKind.READ,
                                stacks[ref]);
                        t.txCommit(c += 500 + r.nextInt(5_000));
                        n += 9 + (untimed ? 1 : 0);
                    }
                } else if (op < 80) { // a conflict with both sides, exactly timed
                    t.txStart(c += 100);
                    t.contention(c += 300 + r.nextInt(3_000), kind, 10 + r.nextInt(4), stacks[ref], stacks[(ref + 5) % 12],
                            kind == ContentionKind.WRITE_READ ? stacks[(ref + 1) % 12] : 0, labels[ref % 8], ref, false);
                    t.txAbort(c += 50, AbortCause.CONFLICT);
                    n += 3;
                } else if (op < 90) {
                    int count = 1 + r.nextInt(40);
                    t.txCommits(c += 10_000 + r.nextInt(50_000), count, count * 300L);
                    n++;
                } else if (op < 97) {
                    t.mark(c += 100, r.nextInt(20) == 0 ? "window.start" : "request completed", n);
                    n++;
                } else {
                    t.txStart(c += 100);
                    t.waitBegin(c += 10, WaitKind.LOCK);
                    t.waitEnd(c += 1_000, WaitKind.LOCK);
                    t.txAbort(c += 10, r.nextBoolean() ? AbortCause.EXPLICIT_RETRY : AbortCause.EXCEPTION);
                    t.gcPause(c, "G1 Young Generation", 100_000);
                    n += 5;
                }
            }
            clock[i] = c;
        }
        log.close();
        return file;
    }

    @Test
    void intactLogs() throws IOException {
        Path generated = LargeLogGeneratorAccess.generate(dir.resolve("generated.stmlog"), 600_000);
        Path ordered = orderSensitiveLog(dir.resolve("ordered.stmlog"), 500_000, 3);
        assertTrue(Files.size(generated) > 2_000_000 && Files.size(ordered) > 2_000_000, "many batches");
        assertSameAnalysis(List.of(generated));
        assertSameAnalysis(List.of(ordered));
        assertSameAnalysis(List.of(generated, ordered));
        Analysis a = Analyzer.analyze(List.of(ordered), AnalysisOptions.defaults(), SEQUENTIAL, Progress.NONE);
        assertTrue(a.top(SortKey.LOST, 10, null).merged() > 0, "conflicts completed from others");
    }

    @Test
    void aCorruptChunkInTheMiddle() throws IOException {
        byte[] all = Files.readAllBytes(orderSensitiveLog(dir.resolve("log.stmlog"), 500_000, 4));
        for (int i = all.length / 2; i < all.length / 2 + 64; i++) all[i] ^= 0x5A;
        Path bad = Files.write(dir.resolve("bad.stmlog"), all);
        assertSameAnalysis(List.of(bad));
        List<String> lines = Analyzer.analyze(List.of(bad), AnalysisOptions.defaults(), SEQUENTIAL, Progress.NONE).damageLines();
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("damaged bytes skipped"), lines::toString);
    }

    @Test
    void aTruncatedTail() throws IOException {
        byte[] all = Files.readAllBytes(orderSensitiveLog(dir.resolve("log.stmlog"), 500_000, 5));
        Path cut = Files.write(dir.resolve("cut.stmlog"), Arrays.copyOf(all, all.length * 7 / 10 + 13));
        assertSameAnalysis(List.of(cut));
        List<String> lines = Analyzer.analyze(List.of(cut), AnalysisOptions.defaults(), SEQUENTIAL, Progress.NONE).damageLines();
        assertTrue(lines.get(0).contains("truncated at byte"), lines::toString);
    }

    @Test
    void progressReachesTheEndOfTheFileEitherWay() throws IOException {
        Path log = LargeLogGeneratorAccess.generate(dir.resolve("log.stmlog"), 600_000);
        for (int decoders : new int[] {0, 2}) {
            List<long[]> seen = new ArrayList<>();
            Analyzer.analyze(List.of(log), AnalysisOptions.defaults(), SEQUENTIAL.withDecoders(decoders),
                    (file, done, total) -> {
                        synchronized (seen) {
                            seen.add(new long[] {done, total});
                        }
                    });
            assertFalse(seen.isEmpty());
            long[] last = seen.get(seen.size() - 1);
            assertEquals(Files.size(log), last[0], decoders + " decoders");
            assertEquals(Files.size(log), last[1]);
            for (int i = 1; i < seen.size(); i++) assertTrue(seen.get(i)[0] >= seen.get(i - 1)[0], "never backwards");
        }
    }
}
