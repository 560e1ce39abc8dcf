package dev.stmlog.analyzer;

import dev.stmlog.format.event.AccessKind;
import dev.stmlog.format.event.AccessSite;
import dev.stmlog.format.event.Contention;
import dev.stmlog.format.event.ContentionKind;
import dev.stmlog.format.event.Frame;
import dev.stmlog.format.event.Stack;
import dev.stmlog.format.event.UntimedStart;
import dev.stmlog.format.event.WaitKind;
import dev.stmlog.reports.SiteRow;
import dev.stmlog.reports.SummaryView;
import dev.stmlog.reports.TopView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static dev.stmlog.analyzer.TestLog.MS;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The merge rule on hand-built logs: a conflict recorded without one of its sides is counted at
 * the site of the same kind and object whose sides are known, completed by the victim's re-run
 * or the other side's later write, and shown as "(no stack)" only when nothing is known.
 */
class ConflictJoinTest {
    private static final List<Frame> READ = List.of(TestLog.frame("app.Counter", "bump", "Counter.java", 31));
    private static final List<Frame> WRITE = List.of(TestLog.frame("app.Counter", "bump", "Counter.java", 33));
    private static final List<Frame> ENTRY = List.of(TestLog.frame("app.Main", "run", "Main.java", 12));
    private static final List<Frame> INEVITABLE_CALL = List.of(TestLog.frame("app.Clock", "now", "Clock.java", 7));
    private static final List<Frame> NONE = List.of();
    private static final long REF = 7;

    @TempDir
    Path dir;

    private static Contention contention(long thread, long t, ContentionKind kind, long other, List<Frame> victim,
                                         List<Frame> otherSide, long ref, boolean atEntry) {
        return new Contention(t, thread, kind, other, new Stack(victim), new Stack(otherSide), Stack.EMPTY, "counter",
                ref, atEntry);
    }

    private static AccessSite access(long thread, long t, long ref, AccessKind kind, List<Frame> at) {
        return new AccessSite(t, thread, ref, kind, new Stack(at));
    }

    private TopView top(TestLog log, Grouping by) throws IOException {
        Path file = log.write(dir.resolve("join-" + by + ".stmlog"));
        AnalysisOptions options = new AnalysisOptions(by, 1, 0, Long.MAX_VALUE, null);
        return Analyzer.analyze(List.of(file), options, Progress.NONE).top(SortKey.LOST, 100, null);
    }

    private TopView top(TestLog log) throws IOException {
        return top(log, Grouping.SITE);
    }

    /** A complete conflict on REF: thread 1 read it at READ, thread 2 wrote it at WRITE. */
    private static TestLog complete(TestLog log, long t) {
        return log.start(1, t).add(contention(1, t + MS, ContentionKind.WRITE_READ, 2, READ, WRITE, REF, false))
                .abort(1, t + 2 * MS);
    }

    @Test
    void aConflictMetAtCommitIsCompletedByTheVictimsRerun() throws IOException {
        TestLog log = new TestLog()
                .start(1, 0).add(contention(1, MS, ContentionKind.WRITE_READ, 2, NONE, WRITE, REF, false)).abort(1, 2 * MS)
                .waitBegin(1, 2 * MS, WaitKind.BACKOFF).waitEnd(1, 3 * MS, WaitKind.BACKOFF)
                .start(1, 3 * MS).add(access(1, 4 * MS, REF, AccessKind.READ, READ)).commit(1, 5 * MS);
        TopView top = top(log);
        assertEquals(1, top.sites().size(), () -> top.sites().toString());
        SiteRow row = top.sites().get(0);
        assertEquals("WRITE_READ", row.kind().label());
        assertEquals(List.of(READ.get(0).toString()), row.frames());
        assertEquals(List.of(WRITE.get(0).toString()), row.otherFrames());
        assertEquals(1, row.count());
        assertEquals(2 * MS, row.lostNanos());
        assertEquals(MS, row.pausedNanos(), "the backoff after the abort follows the conflict to its site");
        assertEquals(0, top.merged(), "the re-run completed it: nothing merged");
    }

    @Test
    void anAccessOfTheWrongKindOrObjectDoesNotComplete() throws IOException {
        TestLog log = new TestLog()
                .start(1, 0).add(contention(1, MS, ContentionKind.WRITE_READ, 2, NONE, WRITE, REF, false)).abort(1, 2 * MS)
                .start(1, 3 * MS)
                .add(access(1, 4 * MS, REF, AccessKind.WRITE, WRITE))    // a write: the read is what lost
                .add(access(1, 4 * MS, REF + 1, AccessKind.READ, ENTRY)) // another object
                .commit(1, 5 * MS);
        TopView top = top(log);
        assertEquals(1, top.sites().size());
        assertEquals("(no stack; Ref counter)", top.sites().get(0).key(), "nothing names the victim's read");
    }

    @Test
    void aMissingVictimIsMergedIntoTheSiteOfTheSameObject() throws IOException {
        TestLog log = complete(new TestLog(), 0);
        log = complete(log, 10 * MS);
        // met at commit, the re-run never read it again: no victim
        log.start(1, 20 * MS).add(contention(1, 21 * MS, ContentionKind.WRITE_READ, 2, NONE, WRITE, REF, false))
                .abort(1, 23 * MS);
        // only where the transaction was entered: never shown when the access is known
        log.start(1, 30 * MS).add(contention(1, 31 * MS, ContentionKind.WRITE_READ, 2, ENTRY, WRITE, REF, true))
                .abort(1, 34 * MS);
        TopView top = top(log);
        assertEquals(1, top.sites().size(), () -> top.sites().toString());
        SiteRow row = top.sites().get(0);
        assertEquals(List.of(READ.get(0).toString()), row.frames());
        assertEquals(4, row.count());
        assertEquals(2 * MS + 2 * MS + 3 * MS + 4 * MS, row.lostNanos());
        assertEquals(2, top.merged());
    }

    @Test
    void aMissingOtherSideIsMergedFromTheSameObject() throws IOException {
        TestLog log = complete(new TestLog(), 0);
        log.start(1, 10 * MS).add(contention(1, 11 * MS, ContentionKind.WRITE_READ, 2, READ, NONE, REF, false))
                .abort(1, 12 * MS);
        for (Grouping by : List.of(Grouping.SITE, Grouping.PAIR)) {
            TopView top = top(log, by);
            assertEquals(1, top.sites().size(), () -> by + ": " + top.sites());
            assertEquals(List.of(WRITE.get(0).toString()), top.sites().get(0).otherFrames());
            assertEquals(2, top.sites().get(0).count());
            assertEquals(1, top.merged());
        }
    }

    @Test
    void theFirstConflictOnAnObjectGetsItsOtherSideFromTheWritersNextWrite() throws IOException {
        TestLog log = new TestLog()
                .start(1, 0).add(contention(1, MS, ContentionKind.WRITE_READ, 2, READ, NONE, REF, false)).abort(1, 2 * MS)
                .start(2, 5 * MS).add(access(2, 6 * MS, REF, AccessKind.WRITE, WRITE)).commit(2, 7 * MS)
                // the victim's own write of the object names nothing: it is not the other side
                .start(1, 8 * MS).add(access(1, 8 * MS, REF, AccessKind.WRITE, ENTRY)).commit(1, 9 * MS);
        TopView top = top(log);
        assertEquals(1, top.sites().size());
        assertEquals(List.of(WRITE.get(0).toString()), top.sites().get(0).otherFrames());
        assertEquals(0, top.merged(), "completed by the other thread's own write, not from other conflicts");
    }

    @Test
    void bothSidesMissing() throws IOException {
        TestLog log = complete(new TestLog(), 0);
        log.start(1, 10 * MS).add(contention(1, 11 * MS, ContentionKind.WRITE_READ, 2, NONE, NONE, REF, false))
                .abort(1, 12 * MS);
        // another object, about which nothing is known
        log.start(1, 20 * MS).add(contention(1, 21 * MS, ContentionKind.WRITE_READ, 2, NONE, NONE, REF + 5, false))
                .abort(1, 22 * MS);
        TopView top = top(log);
        assertEquals(2, top.sites().size(), () -> top.sites().toString());
        SiteRow known = top.sites().get(0);
        assertEquals(List.of(READ.get(0).toString()), known.frames());
        assertEquals(List.of(WRITE.get(0).toString()), known.otherFrames());
        assertEquals(2, known.count());
        SiteRow unknown = top.sites().get(1);
        assertEquals("(no stack; Ref counter)", unknown.key());
        assertEquals(1, unknown.count());
        assertEquals(1, top.merged());
    }

    @Test
    void anInevitableWaitAtCommitJoinsTheWaitsForTheSameInevitableCall() throws IOException {
        TestLog log = new TestLog()
                .start(1, 0).add(contention(1, MS, ContentionKind.INEVITABLE, 2, INEVITABLE_CALL, INEVITABLE_CALL, 0, false))
                .waitBegin(1, MS, WaitKind.INEVITABLE).waitEnd(1, 4 * MS, WaitKind.INEVITABLE).commit(1, 5 * MS)
                .start(1, 10 * MS).add(contention(1, 11 * MS, ContentionKind.INEVITABLE, 2, ENTRY, INEVITABLE_CALL, 0, true))
                .waitBegin(1, 11 * MS, WaitKind.INEVITABLE).waitEnd(1, 13 * MS, WaitKind.INEVITABLE).commit(1, 14 * MS);
        TopView top = top(log);
        assertEquals(1, top.sites().size(), () -> top.sites().toString());
        assertEquals(List.of(INEVITABLE_CALL.get(0).toString()), top.sites().get(0).frames());
        assertEquals(5 * MS, top.sites().get(0).pausedNanos());
        assertEquals(1, top.merged());
    }

    @Test
    void anEntryStackStandsWhenNoAccessIsKnown() throws IOException {
        TestLog log = new TestLog()
                .start(1, 0).add(contention(1, MS, ContentionKind.WRITE_WRITE, 2, ENTRY, WRITE, REF, true)).abort(1, 2 * MS);
        TopView top = top(log);
        assertEquals(List.of(ENTRY.get(0).toString()), top.sites().get(0).frames());
        assertEquals(0, top.merged());
    }

    /**
     * An attempt that was not timed from its start is charged its re-run's time, whether or not a
     * sampling tick placed its start early: what a conflict costs must not depend on the ticks.
     */
    @Test
    void anUntimedAttemptIsChargedItsRerunsTime() throws IOException {
        TestLog log = new TestLog()
                // no tick fell in it: started "now", at the conflict
                .start(1, 10 * MS).add(new UntimedStart(10 * MS, 1, 0))
                .add(contention(1, 10 * MS, ContentionKind.WRITE_READ, 2, READ, WRITE, REF, false))
                .abort(1, 10 * MS + 10_000)
                .waitBegin(1, 10 * MS + 10_000, WaitKind.BACKOFF).waitEnd(1, 11 * MS, WaitKind.BACKOFF)
                .start(1, 11 * MS).waitBegin(1, 12 * MS, WaitKind.LOCK).waitEnd(1, 13 * MS, WaitKind.LOCK)
                .commit(1, 14 * MS)
                // a tick fell in it: its start was placed 10 ms early
                .start(1, 20 * MS).add(new UntimedStart(30 * MS, 1, 10 * MS))
                .add(contention(1, 30 * MS, ContentionKind.WRITE_READ, 2, READ, WRITE, REF, false))
                .abort(1, 30 * MS + 10_000)
                .start(1, 31 * MS).commit(1, 33 * MS);
        Path file = log.write(dir.resolve("untimed.stmlog"));
        Analysis a = Analyzer.analyze(List.of(file), AnalysisOptions.defaults(), Progress.NONE);
        TopView top = a.top(SortKey.LOST, 10, null);
        SiteRow row = top.sites().get(0);
        assertEquals(2, row.count());
        assertEquals(2 * MS + 2 * MS, row.lostNanos(), "each charged its re-run's time, less the re-run's wait");
        SummaryView s = a.summary();
        assertEquals(s.transactions().abortedNanos(), row.lostNanos(), "the threads' totals agree with the sites'");
        assertEquals(2, s.transactions().aborted());
    }

    @Test
    void anExactlyTimedAttemptIsChargedItsOwnTime() throws IOException {
        TestLog log = new TestLog()
                .start(1, 10 * MS).add(contention(1, 12 * MS, ContentionKind.WRITE_READ, 2, READ, WRITE, REF, false))
                .abort(1, 13 * MS).start(1, 14 * MS).commit(1, 20 * MS);
        TopView top = top(log);
        assertEquals(3 * MS, top.sites().get(0).lostNanos());
    }
}
