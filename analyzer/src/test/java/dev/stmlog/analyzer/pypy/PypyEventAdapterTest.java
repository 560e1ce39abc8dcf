package dev.stmlog.analyzer.pypy;

import dev.stmlog.analyzer.pypy.script.PypyReport;
import dev.stmlog.analyzer.pypy.script.PypyConflict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stmlog.format.EventVisitor;
import dev.stmlog.format.LogFormatException;
import dev.stmlog.format.ReadResult;
import dev.stmlog.format.event.AbortCause;
import dev.stmlog.format.event.BecomeInevitable;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.GcPause;
import dev.stmlog.format.event.Metadata;
import dev.stmlog.format.event.ThreadStart;
import dev.stmlog.format.event.WaitKind;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The mapping onto stmlog's model, checked against what the script's analysis counts. */
class PypyEventAdapterTest {
    @TempDir
    Path dir;

    /** Counts what the adapter emits, and checks times as it goes. */
    static final class Counter implements EventVisitor {
        long starts, commits, aborts, inevitable, threads, pauses, events;
        final Map<ContentionKind, Long> contentions = new EnumMap<>(ContentionKind.class);
        final Map<WaitKind, Long> waitBegins = new EnumMap<>(WaitKind.class);
        final Map<WaitKind, Long> waitEnds = new EnumMap<>(WaitKind.class);
        final Map<String, Long> gc = new HashMap<>();
        final Map<String, Long> contentionSites = new HashMap<>();
        Metadata metadata;
        long firstTime = Long.MIN_VALUE;
        long lastTime = Long.MIN_VALUE;
        boolean monotonic = true;

        private void time(long t) {
            events++;
            if (firstTime == Long.MIN_VALUE) firstTime = t;
            if (t < lastTime) monotonic = false;
            lastTime = Math.max(lastTime, t);
        }

        @Override
        public void metadata(Metadata m) {
            metadata = m;
        }

        @Override
        public void txStart(long time, long thread) {
            time(time);
            starts++;
        }

        @Override
        public void txCommit(long time, long thread) {
            time(time);
            commits++;
        }

        @Override
        public void txAbort(long time, long thread, AbortCause cause) {
            time(time);
            aborts++;
        }

        @Override
        public void waitBegin(long time, long thread, WaitKind kind) {
            time(time);
            waitBegins.merge(kind, 1L, Long::sum);
        }

        @Override
        public void waitEnd(long time, long thread, WaitKind kind) {
            time(time);
            waitEnds.merge(kind, 1L, Long::sum);
        }

        @Override
        public void event(Event e) {
            if (e instanceof GcPause g) {
                // given at their end with their start time: not part of the order check
                events++;
                gc.merge(g.collector(), 1L, Long::sum);
                assertTrue(g.durationNanos() >= 0);
                return;
            }
            time(e.time());
            if (e instanceof Contention c) {
                contentions.merge(c.kind(), 1L, Long::sum);
                if (!c.victimStack().isEmpty()) contentionSites.merge(c.victimStack().top().className(), 1L, Long::sum);
            } else if (e instanceof BecomeInevitable) {
                inevitable++;
            } else if (e instanceof ThreadStart t) {
                threads++;
                assertEquals("thread " + t.thread(), t.name());
            } else {
                throw new AssertionError("unexpected " + e);
            }
        }

        long contentions(ContentionKind k) {
            return contentions.getOrDefault(k, 0L);
        }
    }

    static Iterable<String> cases() throws Exception {
        return PrintStmLogVectorsTest.cases();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void countsAgreeWithTheScriptsAnalysis(String name) throws Exception {
        Path dir = PrintStmLogVectorsTest.vectors().resolve(name);
        Path log = dir.resolve(name + ".stmlog");
        PypyReport report = PrintStmLogVectorsTest.run(name, null, true).result().report();
        Counter c = new Counter();
        ReadResult rr = PypyEventAdapter.read(log, name, null, c, w -> { });
        assertEquals(report.records(), rr.records());
        assertEquals(c.events, rr.events());
        assertEquals(0, c.firstTime); // nanoseconds since the first record
        assertNotNull(c.metadata);
        assertEquals("pypy-stm", c.metadata.user().get("source"));
        assertEquals(report.threads().size(), c.threads);
        long[] byCode = codes(log);
        if (report.generation() == PypyGeneration.C8) {
            assertTrue(c.monotonic);
            assertEquals(report.nCommitted(), c.commits);
            assertEquals(report.nAborted(), c.aborts);
            assertEquals(byCode[0], c.starts);
            long wr = report.conflicts().stream().filter(x -> x.code() == 6).mapToLong(PypyConflict::count).sum();
            assertEquals(wr + report.doubleWriteReads(), c.contentions(ContentionKind.WRITE_READ));
            assertEquals(byCode[5], c.inevitable);
            // the script charges a wait when it ends; the adapter reports it when it begins, so
            // waits cut short by an abort are in the adapter's count only
            long waits = report.conflicts().stream().filter(x -> x.code() == 5 || x.code() == 4)
                    .mapToLong(PypyConflict::count).sum();
            assertTrue(c.contentions(ContentionKind.INEVITABLE) >= waits, () -> c.contentions + " vs " + waits);
            assertTrue(c.contentions(ContentionKind.INEVITABLE) <= byCode[10]);
            assertEquals(byCode[12] > 0, c.gc.getOrDefault("pypy-minor", 0L) > 0);
            assertEquals(byCode[14] > 0, c.gc.getOrDefault("pypy-major", 0L) > 0);
            assertEquals(0, c.contentions(ContentionKind.WRITE_WRITE));
        } else {
            assertEquals(byCode[0], c.starts);
            assertTrue(c.commits >= report.nCommitted());
            long all = report.conflicts().stream().mapToLong(PypyConflict::count).sum();
            assertEquals(all, c.contentions.values().stream().mapToLong(Long::longValue).sum());
            assertEquals(byCode[3], c.contentions(ContentionKind.WRITE_WRITE));
            assertEquals(byCode[4], c.contentions(ContentionKind.WRITE_READ));
            assertEquals(byCode[5], c.contentions(ContentionKind.INEVITABLE));
            assertEquals(byCode[9], c.waitBegins.getOrDefault(WaitKind.LOCK, 0L));
        }
        for (WaitKind k : c.waitBegins.keySet()) {
            long open = c.waitBegins.get(k) - c.waitEnds.getOrDefault(k, 0L);
            assertTrue(open >= 0 && open <= c.threads, k + " " + open);
        }
        // the sites the original ranks are the sites of stmlog's contentions
        PypyConflict top = report.conflicts().get(0);
        assertTrue(c.contentionSites.containsKey(PypyFrames.frame(top.marker1()).className()),
                () -> new String(top.marker1(), StandardCharsets.UTF_8) + " not in " + c.contentionSites.keySet());
        assertEquals(name.equals("c8-truncated"), rr.damage().isDamaged());
        if (name.equals("c8-truncated")) {
            assertTrue(rr.damage().truncatedAt() > Files.size(log) - 14 - 255);
            assertTrue(rr.damage().notes().get(0).startsWith("truncated at byte " + rr.damage().truncatedAt()));
        }
    }

    /** Records per raw code, read independently of the adapter. */
    private static long[] codes(Path log) throws Exception {
        long[] n = new long[256];
        try (PypyLogReader r = PypyLogReader.open(log, "x", PypyLogReader.Options.lenientFinal(), new PypyWarnings())) {
            while (r.next()) n[r.event()]++;
        }
        return n;
    }

    @Test
    void timesAreExactNanosecondsSinceTheFirstRecord() throws Exception {
        Path log = PypyLogBuilder.c8().rec(4000, 999_999_999, 1, 0).rec(4001, 1, 1, 1).rec(4002, 0, 2, 0)
                .write(dir.resolve("t.stmlog"));
        java.util.List<Long> times = new java.util.ArrayList<>();
        PypyEventAdapter.read(log, "t", null, new EventVisitor() {
            @Override
            public void event(Event e) {
                times.add(e.time());
            }

            @Override
            public void txStart(long time, long thread) {
                times.add(time);
            }

            @Override
            public void txCommit(long time, long thread) {
                times.add(time);
            }
        }, w -> { });
        // ThreadStart, START, COMMIT, ThreadStart, START
        assertEquals(java.util.List.of(0L, 0L, 2L, 1_000_000_001L, 1_000_000_001L), times);
    }

    @Test
    void inevitableWaitsBecomeContentionsAtTheirLocation() throws Exception {
        String bi = "File \"io.py\", line 3, in write (#5)";
        Path log = PypyLogBuilder.c8().at(0, 1, 0).at(1, 1, 5, bi).at(2, 1, 10).at(5, 1, 11).at(6, 1, 1)
                .at(7, 2, 0).at(8, 2, 3).at(9, 2, 4).at(10, 2, 10).at(11, 2, 11).at(12, 2, 1)
                .write(dir.resolve("i.stmlog"));
        java.util.List<Contention> cs = new java.util.ArrayList<>();
        PypyEventAdapter.read(log, "i", null, e -> {
            if (e instanceof Contention c) cs.add(c);
        }, w -> { });
        assertEquals(2, cs.size());
        assertEquals(new Frame("io.py", "write", "io.py", 3), cs.get(0).victimStack().top());
        assertEquals(ContentionKind.INEVITABLE, cs.get(0).kind());
        assertEquals(PypyFrames.REATTACHED, cs.get(1).victimStack()); // Q5: a REATTACH has no location
    }

    @Test
    void c7MarkersAreBothSides() throws Exception {
        Path log = PypyLogBuilder.c7().at7(0, 1, 0, 0, null, null)
                .at7(1, 1, 2, 3, "File \"a.py\", line 4, in update", "File \"b.py\", line 7, in report")
                .at7(2, 1, 0, 2, null, null).write(dir.resolve("c7.stmlog"));
        java.util.List<Contention> cs = new java.util.ArrayList<>();
        PypyEventAdapter.read(log, "c7", null, e -> {
            if (e instanceof Contention c) cs.add(c);
        }, w -> { });
        Contention c = cs.get(0);
        assertEquals(ContentionKind.WRITE_WRITE, c.kind());
        assertEquals(2, c.otherThread());
        assertEquals(new Frame("a.py", "update", "a.py", 4), c.victimStack().top());
        assertEquals(new Frame("b.py", "report", "b.py", 7), c.otherStack().top());
    }

    @Test
    void markersThatAreNotPypysFormatKeepTheirText() {
        assertEquals(new Frame("x.py", "f", "x.py", 10), PypyFrames.frame("File \"x.py\", line 10, in f".getBytes()));
        assertEquals(new Frame("x.py", "f", "x.py", 10), PypyFrames.frame("File \"x.py\", line 10, in f (#34)".getBytes()));
        assertEquals(new Frame("<ends/p.py", "rebuild_view>", "<ends/p.py", 8495),
                PypyFrames.frame("File \"<ends/p.py\", line 8495, in rebuild_view> (#631".getBytes()));
        assertEquals(new Frame("\u0001\u0000\u0000\u0000\u0000\u0000\u0000\u0000", "", null, -1),
                PypyFrames.frame(new byte[] {1, 0, 0, 0, 0, 0, 0, 0}));
        assertTrue(PypyFrames.stack(new byte[0]).isEmpty());
    }

    @Test
    void notAPypyLog() throws Exception {
        Path f = Files.write(dir.resolve("n.stmlog"), "STMLOG??????????????????".getBytes());
        assertThrows(LogFormatException.class, () -> PypyEventAdapter.read(f, "n", null, e -> { }, w -> { }));
        assertThrows(java.io.IOException.class, () -> PypyEventAdapter.read(dir.resolve("none"), "none", null, e -> { }, w -> { }));
    }

    @Test
    void damageIsReportedNotThrown() throws Exception {
        Path log = PypyLogBuilder.c8().at(0, 1, 0).at(1, 1, 1).at(2, 1, 99).at(3, 1, 0)
                .write(dir.resolve("d.stmlog"));
        Counter c = new Counter();
        ReadResult r = PypyEventAdapter.read(log, "d", null, c, w -> { });
        assertEquals(2, r.records());
        assertEquals(1, r.damage().malformedRecords());
        assertEquals(28, r.damage().bytesSkipped());
        assertTrue(r.damage().isDamaged());
        assertFalse(r.cleanClose());
    }
}
