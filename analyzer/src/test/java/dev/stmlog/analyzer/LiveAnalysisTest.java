package dev.stmlog.analyzer;

import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.UntimedStart;
import dev.stmlog.format.event.WaitKind;
import dev.stmlog.reports.TopView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static dev.stmlog.analyzer.TestLog.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LiveAnalysis} on a log appended chunk by chunk, as its writer flushes it: after each
 * chunk its snapshot is what {@code top} makes of the log cut there, though the conflicts
 * pending at the cut (waiting for their re-run's access site, for their other side, for the
 * re-run of an untimed attempt) are settled in the snapshot and later again, differently, in the
 * live aggregation; snapshots leave the aggregation undisturbed, so the last one, at the
 * trailer, is exactly {@code top}'s of the whole log.
 */
class LiveAnalysisTest {
    private static final int THREADS = 3;
    private static final List<Frame> RUNTIME = List.of(frame("dev.stmlog.runtime.Ref", "set", "Ref.java", 120));

    /** Conflicts of every shape the join handles: both sides, the victim's access later, no other side; untimed starts. */
    private static Path log(Path file) throws IOException {
        TestLog log = new TestLog();
        SplittableRandom r = new SplittableRandom(11);
        long[] clock = new long[THREADS];
        for (int t = 0; t < THREADS; t++) {
            log.name(t + 1, "worker-" + t);
            clock[t] = TestLog.MS;
        }
        List<List<Frame>> victims = new ArrayList<>();
        List<List<Frame>> others = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            victims.add(List.of(frame("com.example.Svc", "update" + i, "Svc.java", 10 + i), frame("com.example.Main", "run", "Main.java", 5)));
            others.add(List.of(frame("com.example.Writer", "write" + i, "Writer.java", 30 + i)));
        }
        for (int round = 0; round < 12000; round++) {
            int t = r.nextInt(THREADS);
            long thread = t + 1;
            long c = clock[t] + 1_000 + r.nextInt(50_000);
            log.start(thread, c);
            int what = r.nextInt(10);
            int site = r.nextInt(victims.size());
            long ref = 1 + site;
            ContentionKind kind = site % 2 == 0 ? ContentionKind.WRITE_WRITE : ContentionKind.WRITE_READ;
            long other = 1 + (t + 1) % THREADS;
            if (what == 0) {
                // an untimed first attempt that aborts on a conflict with both sides; its re-run commits
                log.add(new UntimedStart(c + 500, thread, 400));
                c += 2_000 + r.nextInt(20_000);
                log.add(new Contention(c, thread, kind, other, new Stack(concat(RUNTIME, victims.get(site))),
                        new Stack(others.get(site)), Stack.EMPTY, "ref" + site, ref, false));
                log.abort(thread, c += 100);
                log.start(thread, c += 50);
                log.commit(thread, c += 5_000 + r.nextInt(10_000));
            } else if (what == 1) {
                // met at commit: the victim's access comes in the re-run
                c += 2_000 + r.nextInt(20_000);
                log.add(new Contention(c, thread, kind, other, new Stack(List.of(frame("com.example.Main", "run", "Main.java", 5))),
                        new Stack(others.get(site)), Stack.EMPTY, "ref" + site, ref, true));
                log.abort(thread, c += 100);
                log.waitBegin(thread, c += 10, WaitKind.BACKOFF);
                log.waitEnd(thread, c += 1_000, WaitKind.BACKOFF);
                log.start(thread, c += 10);
                log.add(new AccessSite(c += 300, thread, ref,
                        kind == ContentionKind.WRITE_WRITE ? AccessKind.WRITE : AccessKind.READ, new Stack(victims.get(site))));
                log.commit(thread, c += 5_000);
            } else if (what == 2) {
                // no other side: completed from the others on the object
                c += 2_000 + r.nextInt(20_000);
                log.add(new Contention(c, thread, kind, other, new Stack(victims.get(site)), Stack.EMPTY, Stack.EMPTY,
                        "ref" + site, ref, false));
                log.abort(thread, c += 100);
            } else if (what == 3) {
                c += 1_000 + r.nextInt(5_000);
                log.abort(thread, c, AbortCause.EXCEPTION);
            } else {
                log.commit(thread, c += 1_000 + r.nextInt(30_000));
            }
            clock[t] = c;
        }
        return log.write(file);
    }

    private static List<Frame> concat(List<Frame> a, List<Frame> b) {
        List<Frame> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** Chunk ends, walking the file's chunk headers. */
    private static List<Integer> chunkEnds(byte[] f) {
        List<Integer> ends = new ArrayList<>();
        int p = 12 + (f[10] & 0xFF | (f[11] & 0xFF) << 8);
        while (p < f.length) {
            int len = (f[p + 4] & 0xFF) | (f[p + 5] & 0xFF) << 8 | (f[p + 6] & 0xFF) << 16 | (f[p + 7] & 0xFF) << 24;
            p += 36 + len;
            ends.add(p);
        }
        return ends;
    }

    private static TopView top(Analysis a) {
        return a.top(SortKey.LOST, 100, null);
    }

    @Test
    void eachSnapshotIsTopOfTheLogCutThereAndTheLastIsTopOfTheWholeLog(@TempDir Path dir) throws IOException {
        byte[] f = Files.readAllBytes(log(dir.resolve("whole.stmlog")));
        List<Integer> ends = chunkEnds(f);
        assertTrue(ends.size() > 8, "chunks: " + ends.size());
        Path live = dir.resolve("live.stmlog");
        Path cut = dir.resolve("cut.stmlog");
        Files.write(live, new byte[0]);
        AnalysisOptions options = AnalysisOptions.defaults();
        int written = 0;
        try (LiveAnalysis watch = new LiveAnalysis(options)) {
            watch.add(live);
            assertFalse(watch.poll());
            for (int i = 0; i < ends.size(); i++) {
                int end = ends.get(i);
                int half = written + (end - written) / 2;
                Files.write(live, Arrays.copyOfRange(f, written, half), StandardOpenOption.APPEND);
                watch.poll();
                Files.write(live, Arrays.copyOfRange(f, half, end), StandardOpenOption.APPEND);
                written = end;
                assertTrue(watch.poll());
                Files.write(cut, Arrays.copyOf(f, end));
                Analysis expected = Analyzer.analyze(List.of(cut), options, Progress.NONE);
                Analysis first = watch.snapshot();
                Analysis again = watch.snapshot();
                String where = "after chunk " + i + " of " + ends.size();
                assertEquals(top(expected).sites(), top(first).sites(), where);
                assertEquals(top(first), top(again), where + ": a snapshot disturbs nothing");
                assertEquals(expected.summary().transactions(), first.summary().transactions(), where);
                assertEquals(expected.summary().threads(), first.summary().threads(), where);
                assertEquals(expected.events(), first.events(), where);
                assertEquals(expected.endNanos(), first.endNanos(), where);
                assertFalse(first.damage().isDamaged(), where + ": a log being written is not damaged");
                assertEquals(i == ends.size() - 1, watch.allEnded(), where);
            }
            Analysis whole = Analyzer.analyze(List.of(dir.resolve("whole.stmlog")), options, Progress.NONE);
            Analysis last = watch.snapshot();
            assertEquals(top(whole).sites(), top(last).sites());
            assertEquals(top(whole).summary().transactions(), top(last).summary().transactions());
            assertEquals(whole.damage(), last.damage());
            assertTrue(watch.closed(0));
            assertTrue(top(last).merged() > 0, "conflicts completed from others: " + top(last).merged());
            assertEquals(top(whole).merged(), top(last).merged());
        }
    }
}
