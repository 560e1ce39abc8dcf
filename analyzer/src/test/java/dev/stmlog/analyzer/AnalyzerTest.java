package dev.stmlog.analyzer;

import dev.stmlog.format.LogReader;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Event;
import dev.stmlog.format.event.TxAbort;
import dev.stmlog.format.event.TxCommit;
import dev.stmlog.format.event.TxStart;
import dev.stmlog.format.event.WaitBegin;
import dev.stmlog.format.event.WaitEnd;
import dev.stmlog.reports.RowKind;
import dev.stmlog.reports.SiteRow;
import dev.stmlog.reports.SummaryView;
import dev.stmlog.reports.ThreadRow;
import dev.stmlog.reports.TopView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.stmlog.analyzer.TestLog.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzerTest {
    @TempDir
    Path dir;

    /** Time in transactions computed independently, from the event objects: attempts plus waits outside them. */
    private static long[] independentTotals(Path log) throws IOException {
        Map<Long, long[]> open = new HashMap<>(); // thread -> {attemptStart or -1, waitStart or -1, inTx}
        long[] totals = new long[3]; // time in transactions, commits, aborts
        try (LogReader r = LogReader.open(log)) {
            r.read((Event e) -> {
                long[] s = open.computeIfAbsent(e.thread(), t -> new long[] {-1, -1});
                if (e instanceof TxStart) s[0] = e.time();
                else if (e instanceof TxCommit || e instanceof TxAbort) {
                    totals[0] += e.time() - s[0];
                    totals[e instanceof TxCommit ? 1 : 2]++;
                    s[0] = -1;
                } else if (e instanceof WaitBegin) s[1] = e.time();
                else if (e instanceof WaitEnd) {
                    if (s[0] < 0) totals[0] += e.time() - s[1]; // a wait between attempts
                    s[1] = -1;
                }
            });
        }
        return totals;
    }

    @Test
    void accountingAddsUpOnAGeneratedLog() throws IOException {
        Path log = LargeLogGeneratorAccess.generate(dir.resolve("gen.stmlog"), 300_000);
        Analysis a = Analyzer.analyze(List.of(log), AnalysisOptions.defaults(), Progress.NONE);
        SummaryView s = a.summary();
        long[] expected = independentTotals(log);
        assertEquals(expected[0], s.transactions().committedNanos() + s.transactions().abortedNanos() + s.transactions().pausedNanos());
        assertEquals(expected[1], s.transactions().committed());
        assertEquals(expected[2], s.transactions().aborted());
        assertTrue(s.transactions().aborted() > s.transactions().committed() / 100, "about 2% aborts");
        assertEquals(0, a.unexpected().total());

        long committed = 0, aborted = 0, paused = 0;
        for (ThreadRow t : s.threads()) {
            committed += t.transactions().committedNanos();
            aborted += t.transactions().abortedNanos();
            paused += t.transactions().pausedNanos();
        }
        assertEquals(s.transactions().committedNanos(), committed);
        assertEquals(s.transactions().abortedNanos(), aborted);
        assertEquals(s.transactions().pausedNanos(), paused);

        TopView top = a.top(SortKey.LOST, Integer.MAX_VALUE, null);
        long lost = 0, sitePaused = 0, count = 0;
        for (SiteRow r : top.sites()) {
            lost += r.lostNanos();
            sitePaused += r.pausedNanos();
            int line = 0;
            for (int c : r.timeline()) line += c;
            assertEquals(r.count(), line, "the time line holds every occurrence of " + r.key());
            if (r.kind().label().startsWith("WRITE") || r.kind().label().equals("INEVITABLE")) count += r.count();
        }
        assertEquals(s.transactions().abortedNanos(), lost);
        assertEquals(s.transactions().pausedNanos(), sitePaused);
        assertEquals(s.transactions().aborted(), count, "one contention per conflict abort in the generated log");
        assertTrue(top.totalRows() > 20, "a few dozen sites");
        // ranked by lost time, largest first
        for (int i = 1; i < top.sites().size(); i++) {
            assertTrue(top.sites().get(i - 1).lostNanos() >= top.sites().get(i).lostNanos());
        }
    }

    @Test
    void unexpectedSequencesAreCountedAndResynchronised() throws IOException {
        Path log = new TestLog()
                .commit(1, 1 * MS)                 // commit with no start: ignored
                .start(1, 2 * MS).start(1, 3 * MS) // nested start: the first attempt is dropped
                .commit(1, 5 * MS)                 // 2 ms committed
                .waitEnd(1, 6 * MS, dev.stmlog.format.event.WaitKind.LOCK) // end without begin
                .abort(1, 7 * MS)                  // abort with no start
                .start(1, 10 * MS).abort(1, 14 * MS) // 4 ms aborted, unknown site
                .write(dir.resolve("odd.stmlog"));
        Analysis a = Analyzer.analyze(List.of(log), AnalysisOptions.defaults(), Progress.NONE);
        Unexpected u = a.unexpected();
        assertEquals(1, u.commitWithoutStart);
        assertEquals(1, u.nestedStart);
        assertEquals(1, u.waitEndWithoutBegin);
        assertEquals(1, u.abortWithoutStart);
        assertEquals(4, u.total());
        assertEquals("1 commit with no start, 1 abort with no start, 1 start inside an open attempt, 1 wait end with no begin",
                u.describe());
        SummaryView s = a.summary();
        assertEquals(2 * MS, s.transactions().committedNanos());
        assertEquals(4 * MS, s.transactions().abortedNanos());
        assertEquals(1, s.anomalies().unfinished());
        assertEquals("ABORT_CONFLICT", a.top(SortKey.LOST, 10, null).sites().get(0).kind().label());
    }

    @Test
    void batchesOfQuietCommitsCountAsCommittedTransactions() throws IOException {
        Path log = new TestLog()
                .commits(1, 1 * MS, 1000, 300_000)               // 1000 quiet transactions, 0.3 ms busy
                .start(1, 2 * MS).commit(1, 3 * MS)              // one written out: 1 ms
                .commits(1, 4 * MS, 500, 100_000)
                .start(1, 5 * MS).abort(1, 7 * MS)               // 2 ms lost
                .commits(2, 6 * MS, 7, 7_000)
                .commits(1, 20_000 * MS, 5, 5_000)                  // outside the window below
                .write(dir.resolve("batches.stmlog"));
        Analysis a = Analyzer.analyze(List.of(log), AnalysisOptions.defaults(), Progress.NONE);
        SummaryView s = a.summary();
        assertEquals(1000 + 1 + 500 + 7 + 5, s.transactions().committed());
        assertEquals(300_000 + MS + 100_000 + 7_000 + 5_000, s.transactions().committedNanos());
        assertEquals(1, s.transactions().aborted());
        assertEquals(2 * MS, s.transactions().abortedNanos());
        assertEquals(0, a.unexpected().total());

        Analysis windowed = Analyzer.analyze(List.of(log),
                new AnalysisOptions(Grouping.SITE, 1, 0, 10 * MS, null), Progress.NONE);
        assertEquals(1000 + 1 + 500 + 7, windowed.summary().transactions().committed());

        Path inside = new TestLog().start(1, 1 * MS).commits(1, 2 * MS, 3, 3_000).write(dir.resolve("inside.stmlog"));
        Analysis broken = Analyzer.analyze(List.of(inside), AnalysisOptions.defaults(), Progress.NONE);
        assertEquals(1, broken.unexpected().nestedStart, "a batch inside an open attempt");
        assertEquals(3, broken.summary().transactions().committed());
    }

    /** Logs of older writers name a Ref by its label alone: that is what joins their conflicts. */
    @Test
    void contentionsWithoutAStackAreToldApartByTheirRef() throws IOException {
        var site = List.of(TestLog.frame("app.Shop", "buy", "Shop.java", 12));
        Path log = new TestLog()
                .start(1, 1 * MS).contention(1, 2 * MS, ContentionKind.WRITE_READ, 2, List.of(), List.of(), "stock").abort(1, 4 * MS)
                .start(1, 5 * MS).contention(1, 6 * MS, ContentionKind.WRITE_READ, 2, List.of(), List.of(), "stock").abort(1, 8 * MS)
                .start(1, 9 * MS).contention(1, 10 * MS, ContentionKind.WRITE_READ, 2, List.of(), List.of(), "orders").abort(1, 14 * MS)
                .start(1, 16 * MS).contention(1, 17 * MS, ContentionKind.WRITE_READ, 2, List.of(), List.of(), null).abort(1, 18 * MS)
                .start(1, 19 * MS).contention(1, 20 * MS, ContentionKind.WRITE_READ, 2, site, List.of(), "stock").abort(1, 27 * MS)
                .write(dir.resolve("nostack.stmlog"));
        List<SiteRow> rows = Analyzer.analyze(List.of(log), AnalysisOptions.defaults(), Progress.NONE)
                .top(SortKey.LOST, 10, null).sites();
        // lost: the site 8 ms and stock's 3 + 3 ms without a stack, orders 5 ms, the unlabelled one 2 ms
        assertEquals(List.of("app.Shop.buy(Shop.java:12)", "(no stack; Ref orders)", "(no stack)"),
                rows.stream().map(SiteRow::key).toList());
        assertEquals(List.of(3L, 1L, 1L), rows.stream().map(SiteRow::count).toList());
        assertEquals(List.of(14 * MS, 5 * MS, 2 * MS), rows.stream().map(SiteRow::lostNanos).toList());
    }

    @Test
    void timelineColumnsFollowTime() {
        Site site = new Site(new SiteKey(RowKind.contention("WRITE_WRITE"), List.of(), List.of(), null, null));
        long second = 1_000_000_000L;
        site.mark(0);
        site.mark(30 * second + 1);      // the middle of a 60 s run
        site.mark(60 * second - 1);      // its end: widens the histogram many times
        int[] t = site.timeline(0, 60 * second, 60);
        // a column is 1 s; the histogram's buckets are at most a quarter of that, so an
        // occurrence lands in its column or, near a boundary, the next one
        assertEquals(1, t[0]);
        assertEquals(1, t[29] + t[30] + t[31]);
        assertEquals(1, t[59]);
        int sum = 0;
        for (int c : t) sum += c;
        assertEquals(3, sum);
        int[] window = site.timeline(30 * second, 60 * second, 60);
        assertEquals(1, window[0] + window[1]);
        assertEquals(1, window[59]);
    }
}
