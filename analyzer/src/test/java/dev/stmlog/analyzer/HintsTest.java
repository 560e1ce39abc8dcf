package dev.stmlog.analyzer;

import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.ValueChange;
import dev.stmlog.format.event.WaitKind;
import dev.stmlog.reports.Hint;
import dev.stmlog.reports.SiteRow;
import dev.stmlog.reports.TopView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static dev.stmlog.analyzer.TestLog.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each rule of {@link Hints} on hand-built logs: its hint when the evidence is complete, and none
 * on a near miss that lacks part of it.
 */
class HintsTest {
    private static final List<Frame> UPDATE = List.of(TestLog.frame("app.Stats", "record", "Stats.java", 89));
    private static final List<Frame> GET = List.of(TestLog.frame("app.Bank", "transfer", "Bank.java", 79));
    private static final List<Frame> SET = List.of(TestLog.frame("app.Bank", "transfer", "Bank.java", 81));
    private static final List<Frame> REPORT = List.of(TestLog.frame("app.Stats", "report", "Stats.java", 120));
    private static final List<Frame> CLOCK = List.of(TestLog.frame("app.Web", "handle", "Web.java", 91));
    private static final List<Frame> ENTRY = List.of(TestLog.frame("app.Web", "serve", "Web.java", 40));
    private static final List<Frame> READ_X = List.of(TestLog.frame("app.Web", "handle", "Web.java", 60));
    private static final List<Frame> SIZE = List.of(TestLog.frame("app.Cache", "count", "Cache.java", 12));
    private static final List<Frame> PUT = List.of(TestLog.frame("app.Cache", "fill", "Cache.java", 30));
    private static final long REF = 3;

    @TempDir
    Path dir;

    private static Contention contention(long thread, long t, ContentionKind kind, long other, List<Frame> victim,
                                         List<Frame> otherSide, String label, long ref, boolean atEntry) {
        return new Contention(t, thread, kind, other, new Stack(victim), new Stack(otherSide), Stack.EMPTY, label, ref,
                atEntry);
    }

    private static AccessSite access(long thread, long t, long ref, AccessKind kind, List<Frame> at) {
        return new AccessSite(t, thread, ref, kind, new Stack(at));
    }

    private TopView top(TestLog log, Grouping by) throws IOException {
        Path file = log.write(dir.resolve("hints-" + by + ".stmlog"));
        return Analyzer.analyze(List.of(file), new AnalysisOptions(by, 1, 0, Long.MAX_VALUE, null), Progress.NONE)
                .top(SortKey.LOST, 100, null);
    }

    private SiteRow row(TestLog log, String kind) throws IOException {
        for (SiteRow r : top(log, Grouping.SITE).sites()) if (r.kind().label().equals(kind)) return r;
        throw new AssertionError("no row " + kind);
    }

    /**
     * Threads 1 and 2 read and write REF at {@code line}; thread 1's read loses to thread 2's write
     * there, twice; {@code extra} adds events (other accesses) before the end.
     */
    private static TestLog update(List<Frame> line, ContentionKind kind, TestLog extra) {
        TestLog log = extra;
        for (long thread = 1; thread <= 2; thread++) {
            log.add(access(thread, thread * MS, REF, AccessKind.READ, line))
                    .add(access(thread, thread * MS + 1, REF, AccessKind.WRITE, line));
        }
        for (int i = 0; i < 2; i++) {
            long t = (10 + 10 * i) * MS;
            log.start(1, t).add(contention(1, t + MS, kind, 2, line, line, "stats", REF, false)).abort(1, t + 3 * MS);
        }
        return log;
    }

    @Test
    void theSameUpdateOnBothSidesIsACounter() throws IOException {
        for (ContentionKind kind : List.of(ContentionKind.WRITE_READ, ContentionKind.WRITE_WRITE)) {
            Hint hint = row(update(UPDATE, kind, new TestLog()), kind.name()).hint();
            assertEquals(Hint.Kind.COMMUTE, hint == null ? null : hint.kind(), kind.name());
            assertEquals("both sides read and write `stats` at Stats.java:89: if the new value depends only on the old"
                    + " one (a counter, a statistic), use Ref.commute or a TCounter, which do not conflict", hint.text());
        }
        // by pair, the row's own other side is the evidence
        SiteRow pair = top(update(UPDATE, ContentionKind.WRITE_READ, new TestLog()), Grouping.PAIR).sites().get(0);
        assertEquals(Hint.Kind.COMMUTE, pair.hint().kind());
        // rows by kind, thread or object mix sites: no hint
        assertNull(top(update(UPDATE, ContentionKind.WRITE_READ, new TestLog()), Grouping.KIND).sites().get(0).hint());
    }

    @Test
    void aVictimThatOnlyReadsGetsNoCounterHint() throws IOException {
        // thread 1 reads REF at UPDATE's line and never writes it; thread 2 writes it there
        TestLog log = new TestLog()
                .add(access(1, MS, REF, AccessKind.READ, UPDATE))
                .add(access(2, MS, REF, AccessKind.WRITE, UPDATE));
        for (int i = 0; i < 2; i++) {
            long t = (10 + 10 * i) * MS;
            log.start(1, t).add(contention(1, t + MS, ContentionKind.WRITE_READ, 2, UPDATE, UPDATE, "stats", REF, false))
                    .abort(1, t + 3 * MS);
        }
        assertNull(row(log, "WRITE_READ").hint());
    }

    @Test
    void anObjectAlsoReadElsewhereGetsNoCounterHint() throws IOException {
        // the same update on both sides, but REF is also read at REPORT: not every transaction updates it
        TestLog extra = new TestLog().add(access(3, MS, REF, AccessKind.READ, REPORT));
        assertNull(row(update(UPDATE, ContentionKind.WRITE_READ, extra), "WRITE_READ").hint());
    }

    @Test
    void aCheckAtOneLineAndAWriteAtAnotherIsNoCounter() throws IOException {
        // a balance read at GET, written at SET (bank): the victim's read at GET loses to a write at SET
        TestLog log = new TestLog();
        for (long thread = 1; thread <= 2; thread++) {
            log.add(access(thread, thread * MS, REF, AccessKind.READ, GET)).add(access(thread, thread * MS, REF, AccessKind.WRITE, SET));
        }
        log.start(1, 10 * MS).add(contention(1, 11 * MS, ContentionKind.WRITE_READ, 2, GET, SET, "account[0]", REF, false))
                .abort(1, 12 * MS);
        assertNull(row(log, "WRITE_READ").hint());
    }

    @Test
    void anotherOtherSideOrAConflictWithoutAnObjectGetsNoCounterHint() throws IOException {
        // one of the conflicts has another other side
        TestLog log = update(UPDATE, ContentionKind.WRITE_READ, new TestLog());
        log.start(1, 50 * MS).add(contention(1, 51 * MS, ContentionKind.WRITE_READ, 2, UPDATE, REPORT, "stats", REF, false))
                .abort(1, 52 * MS);
        assertNull(row(log, "WRITE_READ").hint());
        // one of the conflicts has no object id (an older writer)
        TestLog noRef = update(UPDATE, ContentionKind.WRITE_READ, new TestLog());
        noRef.start(1, 50 * MS).add(contention(1, 51 * MS, ContentionKind.WRITE_READ, 2, UPDATE, UPDATE, "stats", 0, false))
                .abort(1, 52 * MS);
        assertNull(row(noRef, "WRITE_READ").hint());
    }

    /** Thread 2 holds the inevitable token, became so at {@code otherSide}; thread 1 calls Stm.inevitable() at CLOCK. */
    private static TestLog inevitable(List<Frame> otherSide, boolean callerKnown) {
        return new TestLog()
                .start(1, 10 * MS)
                .add(contention(1, 11 * MS, ContentionKind.INEVITABLE, 2, callerKnown ? CLOCK : ENTRY, otherSide, null, 0,
                        !callerKnown))
                .waitBegin(1, 11 * MS, WaitKind.INEVITABLE).waitEnd(1, 15 * MS, WaitKind.INEVITABLE)
                .commit(1, 16 * MS)
                // a read that met the inevitable transaction: the same other side
                .start(1, 20 * MS)
                .add(contention(1, 21 * MS, ContentionKind.INEVITABLE, 2, READ_X, otherSide, "x", 9, false))
                .abort(1, 22 * MS);
    }

    @Test
    void waitingForAStmInevitableCallGetsAfterCommit() throws IOException {
        TopView top = top(inevitable(CLOCK, true), Grouping.SITE);
        assertEquals(2, top.sites().size(), top.sites().toString());
        for (SiteRow r : top.sites()) {
            assertEquals(Hint.Kind.AFTER_COMMIT, r.hint() == null ? null : r.hint().kind(), r.toString());
            assertEquals("if Web.java:91 becomes inevitable for I/O or the clock, move that out of the transaction:"
                    + " I/O into Stm.afterCommit(...), the clock read before the transaction starts", r.hint().text());
        }
    }

    @Test
    void aTransactionMadeInevitableWhereItWasEnteredGetsNoHint() throws IOException {
        // the other side is where its transaction was entered (contention management made it
        // inevitable); the log shows no Stm.inevitable() call there
        for (SiteRow r : top(inevitable(ENTRY, true), Grouping.SITE).sites()) assertNull(r.hint(), r.toString());
        // the line is an other side, but no transaction was seen calling Stm.inevitable() at it
        for (SiteRow r : top(inevitable(CLOCK, false), Grouping.SITE).sites()) assertNull(r.hint(), r.toString());
    }

    @Test
    void waitingForATransactionMadeInevitableAtItsEntryGetsMadeInevitable() throws IOException {
        // thread 1 waited at commit (victim at entry: ENTRY) for thread 2, which the runtime made
        // inevitable where it was entered, ENTRY too
        TopView top = top(inevitable(ENTRY, false), Grouping.SITE);
        assertEquals(1, top.sites().size(), top.sites().toString()); // the wait at entry joins the read's row
        for (SiteRow r : top.sites()) {
            assertEquals(Hint.Kind.MADE_INEVITABLE, r.hint() == null ? null : r.hint().kind(), r.toString());
            assertEquals("the runtime made the transaction entered at Web.java:40 inevitable after it kept aborting:"
                    + " these waits go with the conflicts that abort it", r.hint().text());
        }
    }

    @Test
    void aWholeMapReadAgainstInsertsGetsWholeMapRead() throws IOException {
        TestLog log = new TestLog();
        for (int i = 0; i < 3; i++) {
            long t = (10 + 10 * i) * MS;
            log.start(1, t).add(contention(1, t + MS, ContentionKind.WRITE_READ, 2, SIZE, PUT, "etag.cache#presence" + i,
                    20 + i, false)).abort(1, t + 2 * MS);
        }
        Hint hint = row(log, "WRITE_READ").hint();
        assertEquals(Hint.Kind.WHOLE_MAP_READ, hint == null ? null : hint.kind());
        assertTrue(hint.text().startsWith("a whole-map read of TMap `etag.cache` (size, forEach, keys, snapshot)"), hint.text());
    }

    @Test
    void aKeyOfTheMapOrAWriteWriteOnAStripeGetsNoWholeMapHint() throws IOException {
        // the same row also holds a conflict on a key's slot
        TestLog log = new TestLog()
                .start(1, 10 * MS).add(contention(1, 11 * MS, ContentionKind.WRITE_READ, 2, SIZE, PUT, "etag.cache#presence1",
                        20, false)).abort(1, 12 * MS)
                .start(1, 20 * MS).add(contention(1, 21 * MS, ContentionKind.WRITE_READ, 2, SIZE, PUT, "etag.cache[42]",
                        21, false)).abort(1, 22 * MS);
        assertNull(row(log, "WRITE_READ").hint());
        // inserts meeting on a stripe: they may be inserts of the same key
        TestLog ww = new TestLog()
                .start(1, 10 * MS).add(contention(1, 11 * MS, ContentionKind.WRITE_WRITE, 2, PUT, PUT, "etag.cache#presence1",
                        20, false)).abort(1, 12 * MS);
        assertNull(row(ww, "WRITE_WRITE").hint());
    }

    @Test
    void waitsWithNoConflictSayWhatTheyAre() throws IOException {
        TestLog log = new TestLog();
        WaitKind[] kinds = WaitKind.values();
        for (int i = 0; i < kinds.length; i++) {
            long t = (10 + 10 * i) * MS;
            log.start(1, t).waitBegin(1, t + MS, kinds[i]).waitEnd(1, t + 2 * MS, kinds[i]).commit(1, t + 3 * MS);
        }
        for (WaitKind k : kinds) {
            Hint hint = row(log, "WAIT_" + k.name()).hint();
            assertEquals("WAIT_" + k.name(), hint == null ? null : hint.kind().name());
        }
        // an abort with no conflict: nothing to say
        TestLog abort = new TestLog().start(1, 10 * MS).abort(1, 11 * MS);
        assertNull(row(abort, "ABORT_CONFLICT").hint());
    }

    private static final List<Frame> READ_INDEX = List.of(TestLog.frame("app.Report", "build", "Report.java", 21));
    private static final List<Frame> WRITE_INDEX = List.of(TestLog.frame("app.Indexer", "add", "Indexer.java", 57));
    private static final long US = 1_000;

    /**
     * {@code n} conflicts of thread 1's transaction, {@code run} ns long, on REF (labelled
     * {@code index}), met at commit; thread 2's commit that made it lose took {@code writer} ns
     * (-1: unknown); the re-run's first read of REF, {@code readAt} ns into it, completes each.
     */
    private static TestLog longReader(int n, long run, long readAt, long writer) {
        return longReader(n, run, run, readAt, writer);
    }

    /** As above, the aborted attempt {@code run} ns long, its re-run {@code rerun} ns. */
    private static TestLog longReader(int n, long run, long rerun, long readAt, long writer) {
        TestLog log = new TestLog();
        for (int i = 0; i < n; i++) {
            long t = (1 + 100L * i) * MS;
            log.start(1, t)
                    .add(new Contention(t + run, 1, ContentionKind.WRITE_READ, 2, Stack.EMPTY, new Stack(WRITE_INDEX),
                            Stack.EMPTY, "index", REF, false, ValueChange.CHANGED, writer))
                    .abort(1, t + run)
                    .start(1, t + run + US)
                    .add(access(1, t + run + US + readAt, REF, AccessKind.READ, READ_INDEX))
                    .commit(1, t + run + US + rerun);
        }
        return log;
    }

    @Test
    void aLongTransactionThatReadsEarlyAbortedByShortWritersGetsReadLast() throws IOException {
        Hint hint = row(longReader(6, 10 * MS, 100 * US, 50 * US), "WRITE_READ").hint();
        assertEquals(Hint.Kind.READ_LAST, hint == null ? null : hint.kind());
        // the quartiles as bucket bounds: 10 ms counts as 8.4 ms, 50 us as 57.3 us
        assertEquals("reads `index` early (in the first quarter of the transaction, in 6 of 6 conflicts timed) in"
                + " transactions of 8.4 ms or more, while the transactions that write it take 57.3 us or less: split the"
                + " transaction, or read `index` last", hint.text());
        assertEquals(Hint.Kind.READ_LAST, top(longReader(6, 10 * MS, 100 * US, 50 * US), Grouping.PAIR).sites().get(0)
                .hint().kind());
    }

    @Test
    void aLongWriterALateReadTooFewConflictsOrUnknownWritersGetNoReadLast() throws IOException {
        // aborted by a writer as long as itself
        assertNull(row(longReader(6, 10 * MS, 100 * US, 10 * MS), "WRITE_READ").hint());
        // ... or by one a bit less than 10 times shorter, in the histogram's bounds (2 ms: 1.8 ms to 2.1 ms)
        assertNull(row(longReader(6, 10 * MS, 100 * US, 2 * MS), "WRITE_READ").hint());
        // the read comes late in the transaction
        assertNull(row(longReader(6, 10 * MS, 6 * MS, 50 * US), "WRITE_READ").hint());
        // too few conflicts to tell
        assertNull(row(longReader(Hints.MIN_RUNS - 1, 10 * MS, 100 * US, 50 * US), "WRITE_READ").hint());
        // the writers' attempts were not timed
        assertNull(row(longReader(6, 10 * MS, 100 * US, -1), "WRITE_READ").hint());
        // the aborted attempts are short; only the re-runs are long (their read's stack walk)
        assertNull(row(longReader(6, 200 * US, 10 * MS, 10 * US, 50 * US), "WRITE_READ").hint());
        // the aborted attempts are long (descheduled: the attempt that loses), but the thread's
        // committed transactions, the re-runs, are short
        assertNull(row(longReader(6, 10 * MS, 200 * US, 10 * US, 50 * US), "WRITE_READ").hint());
    }

    @Test
    void anAttemptWithAStackWalkInItDoesNotCount() throws IOException {
        // each aborted attempt recorded another access site (a stack walk: its time is not the
        // transaction's own), or each re-run did before its read (which comes later for it)
        for (boolean inAborted : new boolean[] {true, false}) {
            TestLog log = new TestLog();
            for (int i = 0; i < 6; i++) {
                long t = (1 + 100L * i) * MS;
                log.start(1, t);
                if (inAborted) log.add(access(1, t + US, REF + 1, AccessKind.WRITE, PUT));
                log.add(new Contention(t + 10 * MS, 1, ContentionKind.WRITE_READ, 2, Stack.EMPTY, new Stack(WRITE_INDEX),
                                Stack.EMPTY, "index", REF, false, ValueChange.CHANGED, 50 * US))
                        .abort(1, t + 10 * MS)
                        .start(1, t + 11 * MS);
                if (!inAborted) log.add(access(1, t + 11 * MS + US, REF + 1, AccessKind.WRITE, PUT));
                log.add(access(1, t + 11 * MS + 2 * US, REF, AccessKind.READ, READ_INDEX)).commit(1, t + 21 * MS);
            }
            assertNull(row(log, "WRITE_READ").hint(), inAborted ? "walk in the aborted attempt" : "walk in the re-run");
        }
    }

    @Test
    void aReadOutsideTheReRunDoesNotCount() throws IOException {
        // each conflict's re-run commits without reading REF; the read comes in the transaction
        // after, early: it completes the conflict's site, but says nothing of the re-run
        TestLog log = new TestLog();
        for (int i = 0; i < 6; i++) {
            long t = (1 + 100L * i) * MS;
            log.start(1, t)
                    .add(new Contention(t + 10 * MS, 1, ContentionKind.WRITE_READ, 2, Stack.EMPTY, new Stack(WRITE_INDEX),
                            Stack.EMPTY, "index", REF, false, ValueChange.CHANGED, 50 * US))
                    .abort(1, t + 10 * MS)
                    .start(1, t + 11 * MS).commit(1, t + 21 * MS)
                    .start(1, t + 22 * MS).add(access(1, t + 22 * MS + US, REF, AccessKind.READ, READ_INDEX))
                    .commit(1, t + 32 * MS);
        }
        SiteRow r = row(log, "WRITE_READ");
        assertEquals("app.Report.build(Report.java:21)", r.frames().get(0), r.toString());
        assertNull(r.hint());
    }

    /** {@code changes.length} conflicts of a read of REF (labelled {@code etag}) at READ_X with thread 2's write at PUT. */
    private static TestLog refill(ValueChange... changes) {
        TestLog log = new TestLog();
        for (int i = 0; i < changes.length; i++) {
            long t = (1 + 10L * i) * MS;
            log.start(1, t).add(new Contention(t + MS, 1, ContentionKind.WRITE_READ, 2, new Stack(READ_X), new Stack(PUT),
                    Stack.EMPTY, "etag", REF, false, changes[i], 20 * US)).abort(1, t + MS);
        }
        return log;
    }

    @Test
    void writesOfTheValueTheRefHeldGetWriteIfChanged() throws IOException {
        ValueChange[] unchanged = new ValueChange[10];
        java.util.Arrays.fill(unchanged, ValueChange.UNCHANGED);
        Hint hint = row(refill(unchanged), "WRITE_READ").hint();
        assertEquals(Hint.Kind.WRITE_IF_CHANGED, hint == null ? null : hint.kind());
        assertEquals("Cache.java:30 wrote `etag` with the value it already held (10 of 10 commits seen: the same object,"
                + " or an equal number or string), which aborts its readers all the same: write only when the value"
                + " changes (unless the object was changed in place)", hint.text());
        // nine in ten are enough; conflicts whose other commit is not known do not count
        unchanged[9] = ValueChange.CHANGED;
        ValueChange[] withUnknown = java.util.Arrays.copyOf(unchanged, 14);
        java.util.Arrays.fill(withUnknown, 10, 14, ValueChange.NOT_KNOWN);
        hint = row(refill(withUnknown), "WRITE_READ").hint();
        assertEquals(Hint.Kind.WRITE_IF_CHANGED, hint == null ? null : hint.kind());
        assertTrue(hint.text().contains("(9 of 10 commits seen:"), hint.text());
    }

    @Test
    void changedUncomparedOrTooFewWritesGetNoWriteIfChanged() throws IOException {
        ValueChange c = ValueChange.CHANGED, u = ValueChange.UNCHANGED, n = ValueChange.NOT_COMPARED;
        assertNull(row(refill(c, c, c, c, c, c), "WRITE_READ").hint());
        // values of a user type, new objects: the runtime cannot say, so the hint is not given
        assertNull(row(refill(n, n, n, n, n, n), "WRITE_READ").hint());
        // 8 in 10
        assertNull(row(refill(u, u, u, u, u, u, u, u, c, n), "WRITE_READ").hint());
        // too few
        assertNull(row(refill(u, u, u, u), "WRITE_READ").hint());
    }
}
